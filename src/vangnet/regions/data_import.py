"""Loading the region data: Veilig Thuis regions, municipalities and 4-digit postcodes
(the CSV import behind `load_region_data`, `import_*` and `export_region_data`).

Every loader reads and validates the whole file first and writes only when every row is
right, in one transaction with bulk operations, so a bad file changes nothing. Loading the
same file twice changes nothing the second time; each loader reports what it created,
updated, left unchanged and removed. Rows that are in the database but no longer in the
file are removed only when `prune=True`.

Formats (see data/README.md):

- `regions.csv`: region_code, region_name, safety_region_code, is_national_desk.
- municipalities, `vangnet`: municipality_code, municipality_name, safety_region_code
  [, safety_region_name] [, region_code]; `cbs`: CBS's municipality table with the columns
  Gemeentecode or GemeentecodeGM, Gemeentenaam and VeiligheidsregioCode.
- postcodes, `vangnet`: postcode, municipality_code; `cbs-pc6hnr`: CBS's
  postcode-house-number file (PC6;Huisnummer;Buurt…;Wijk…;Gemeente…), aggregated to PC4.

Municipality → Veilig Thuis region is data: the region whose safety_region_code matches
the municipality's safety region, unless a region_code column names the region itself
(DOMAIN.md: the two differ in places, and did in Midden- en West-Brabant).
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, Protocol

from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from .models import Municipality, Postcode, Region

if TYPE_CHECKING:
    pass

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_FILE = DATA_DIR / "regions.csv"
MUNICIPALITIES_FILE = DATA_DIR / "municipalities.csv"
POSTCODES_FILE = DATA_DIR / "pc4.csv"

MunicipalityFormat = Literal["vangnet", "cbs"]
PostcodeFormat = Literal["vangnet", "cbs-pc6hnr"]
MUNICIPALITY_FORMATS: tuple[MunicipalityFormat, ...] = ("vangnet", "cbs")
POSTCODE_FORMATS: tuple[PostcodeFormat, ...] = ("vangnet", "cbs-pc6hnr")

# A file with more problems than this is reported in part: the first ones tell what is wrong.
MAX_PROBLEMS = 20
BATCH_SIZE = 1000

_REGION_CODE = re.compile(r"[A-Z0-9-]{2,12}", re.ASCII)
_SAFETY_REGION_CODE = re.compile(r"VR[0-9]{2}", re.ASCII)
_MUNICIPALITY_CODE = re.compile(r"GM[0-9]{4}", re.ASCII)
_CBS_NUMBER = re.compile(r"[0-9]{1,4}", re.ASCII)
_PC4 = re.compile(r"[1-9][0-9]{3}", re.ASCII)
_PC6 = re.compile(r"([1-9][0-9]{3}) ?[A-Za-z]{2}", re.ASCII)
_TRUE = {"true", "1", "yes", "ja", "waar"}
_FALSE = {"false", "0", "no", "nee", "onwaar", ""}


# --- Results and errors ----------------------------------------------------------------


@dataclass
class ImportResult:
    """What one load did. `kept` counts rows in the database that the file no longer has."""

    what: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def summary(self) -> str:
        text = (
            f"{self.what}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.removed} removed"
        )
        if self.kept:
            text += f"; {self.kept} in the database but not in the file were kept"
        return text


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class RegionDataError(Exception):
    """A data file cannot be loaded. Nothing was changed; the problems say what to fix."""

    def __init__(self, path: Path | str, problems: Iterable[Problem], *, more: bool = False):
        self.path = Path(path)
        self.problems = list(problems)
        self.more = more
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{self.path}: nothing was changed, because:"]
        lines += [f"  {problem}" for problem in self.problems]
        if self.more:
            lines.append(f"  … and more; only the first {len(self.problems)} are shown.")
        return "\n".join(lines)

    @property
    def lines(self) -> list[int]:
        return [p.line for p in self.problems if p.line is not None]


class _Problems:
    """Collects problems up to MAX_PROBLEMS, then stops the load."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.found: list[Problem] = []

    def add(self, line: int | None, message: str) -> None:
        self.found.append(Problem(line, message))
        if len(self.found) >= MAX_PROBLEMS:
            raise RegionDataError(self.path, self.found, more=True)

    def raise_if_any(self) -> None:
        if self.found:
            raise RegionDataError(self.path, self.found)


# --- Reading CSV -----------------------------------------------------------------------


def _column_key(name: str) -> str:
    """'GemeentecodeGM', 'gemeentecode_gm' and ' Gemeentecode GM ' are the same column."""
    return re.sub(r"[^a-z0-9]", "", name.strip().lower())


def _guess_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass
class _Table:
    columns: dict[str, int]  # column key → index
    rows: Iterator[tuple[int, list[str]]]  # (line number, cells), blank lines skipped

    def index(self, *names: str) -> int | None:
        """The first of `names` in the header, however the file spells its case or spaces."""
        for name in names:
            key = _column_key(name)
            if key in self.columns:
                return self.columns[key]
        return None


@contextmanager
def _read_table(path: Path) -> Iterator[_Table]:
    """A CSV file, comma-, semicolon- or tab-separated, UTF-8 with or without BOM, streamed."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise RegionDataError(
            path, [Problem(None, f"cannot open the file ({exc.strerror})")]
        ) from exc
    with handle:
        lines = _decoded_lines(path, handle)
        header_line = next(lines, "")
        reader = csv.reader(
            itertools.chain([header_line], lines), delimiter=_guess_delimiter(header_line)
        )
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise RegionDataError(path, [Problem(1, "the file is empty; expected a header row")])
        columns: dict[str, int] = {}
        for index, name in enumerate(header):
            columns.setdefault(_column_key(name), index)

        def rows() -> Iterator[tuple[int, list[str]]]:
            try:
                for cells in reader:
                    if any(cell.strip() for cell in cells):
                        yield reader.line_num, cells
            except csv.Error as exc:
                raise RegionDataError(path, [Problem(reader.line_num, str(exc))]) from None

        yield _Table(columns=columns, rows=rows())


def _decoded_lines(path: Path, handle: BinaryIO) -> Iterator[str]:
    # Decoded line by line rather than by a text wrapper, so that an encoding error is
    # reported on its own line and not on the first line of the block that holds it.
    for number, raw in enumerate(handle, start=1):
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise RegionDataError(path, [Problem(number, _NOT_UTF8)]) from None


_NOT_UTF8 = "the file is not UTF-8 text; save it as UTF-8 (in a spreadsheet: 'CSV UTF-8')"


def _require_columns(
    path: Path, table: _Table, wanted: dict[str, tuple[str, ...]], *, optional: Iterable[str] = ()
) -> dict[str, int | None]:
    """Map each wanted column to its index; a missing required column stops the load."""
    found = {name: table.index(*spellings) for name, spellings in wanted.items()}
    missing = [name for name, index in found.items() if index is None and name not in optional]
    if missing:
        expected = "; ".join(" or ".join(wanted[name]) for name in missing)
        raise RegionDataError(path, [Problem(1, f"the header lacks a required column: {expected}")])
    return found


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


# --- Regions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _RegionRow:
    line: int
    code: str
    name: str
    safety_region_code: str
    is_national_desk: bool


def load_regions(*, path: Path = REGIONS_FILE) -> ImportResult:
    """Create or update the Veilig Thuis regions and the national desk from `path`.

    Regions are never removed by a load: staff, contacts and partners hang on them.
    """
    problems = _Problems(path)
    rows: list[_RegionRow] = []
    with _read_table(path) as table:
        col = _require_columns(
            path,
            table,
            {
                "code": ("region_code",),
                "name": ("region_name",),
                "safety": ("safety_region_code",),
                "desk": ("is_national_desk",),
            },
            optional=("safety", "desk"),
        )
        for line, cells in table.rows:
            code = _cell(cells, col["code"])
            name = _cell(cells, col["name"])
            safety = _cell(cells, col["safety"]).upper()
            desk = _cell(cells, col["desk"]).lower()
            if not _REGION_CODE.fullmatch(code):
                problems.add(
                    line, f"region code {code!r} must be 2 to 12 capitals, digits or '-' (VT09)"
                )
                continue
            if not name or len(name) > 100:
                problems.add(line, f"region {code} needs a name of at most 100 characters")
                continue
            if safety and not _SAFETY_REGION_CODE.fullmatch(safety):
                problems.add(line, f"safety region code {safety!r} must look like VR09")
                continue
            if desk not in _TRUE | _FALSE:
                problems.add(line, f"is_national_desk must be true or false, not {desk!r}")
                continue
            rows.append(_RegionRow(line, code, name, safety, desk in _TRUE))
    _check_unique(problems, rows, key=lambda r: r.code, label="region code")
    _check_unique(problems, rows, key=lambda r: r.name, label="region name")
    desks = [r for r in rows if r.is_national_desk]
    for extra in desks[1:]:
        problems.add(extra.line, f"only one national desk is possible; {desks[0].code} is one")
    for desk_row in desks:
        if desk_row.safety_region_code:
            problems.add(desk_row.line, "the national desk serves no single safety region")
    problems.raise_if_any()

    result = ImportResult("regions")
    with transaction.atomic():
        existing = {region.code: region for region in Region.objects.select_for_update()}
        in_file = {row.code for row in rows}
        others = [region for code, region in existing.items() if code not in in_file]
        for region in others:
            clash = next((r for r in rows if r.name == region.name), None)
            if clash:
                problems.add(clash.line, f"the name {clash.name!r} belongs to region {region.code}")
            if region.is_national_desk and desks:
                problems.add(
                    desks[0].line,
                    f"{region.code} is the national desk in the database; it cannot be "
                    f"replaced by {desks[0].code}",
                )
        problems.raise_if_any()
        result.kept = len(others)
        fields = ("name", "safety_region_code", "is_national_desk")
        to_create: list[Region] = []
        to_update: list[Region] = []
        for row in rows:
            wanted = {
                "name": row.name,
                "safety_region_code": row.safety_region_code,
                "is_national_desk": row.is_national_desk,
            }
            current = existing.get(row.code)
            if current is None:
                to_create.append(Region(code=row.code, **wanted))
            elif any(getattr(current, f) != wanted[f] for f in fields):
                for name, value in wanted.items():
                    setattr(current, name, value)
                to_update.append(current)
            else:
                result.unchanged += 1
        try:
            with transaction.atomic():
                # Names are unique: a rename that swaps two names needs a free name first.
                for region in to_update:
                    Region.objects.filter(pk=region.pk).update(name=f"~{region.pk}~{region.code}")
                Region.objects.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
                Region.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        except IntegrityError as exc:
            raise RegionDataError(
                path, [Problem(None, f"the regions contradict each other ({exc})")]
            ) from exc
        result.created, result.updated = len(to_create), len(to_update)
    return result


class _Row(Protocol):
    @property
    def line(self) -> int: ...


def _check_unique[T: _Row](
    problems: _Problems, rows: list[T], *, key: Callable[[T], str], label: str
) -> None:
    first_line: dict[str, int] = {}
    for row in rows:
        value = key(row)
        if value in first_line:
            problems.add(row.line, f"{label} {value} also appears on line {first_line[value]}")
        else:
            first_line[value] = row.line


# --- Municipalities --------------------------------------------------------------------


@dataclass(frozen=True)
class _MunicipalityRow:
    line: int
    code: str
    name: str
    safety_region_code: str
    region_code: str


_MUNICIPALITY_COLUMNS: dict[MunicipalityFormat, dict[str, tuple[str, ...]]] = {
    "vangnet": {
        "code": ("municipality_code",),
        "name": ("municipality_name",),
        "safety": ("safety_region_code",),
        "region": ("region_code",),
    },
    # CBS spells these differently across its tables (GemeentecodeGM or Gemeentecode,
    # VeiligheidsregioCode or Veiligheidsregiocode); _column_key makes case irrelevant.
    "cbs": {
        "code": ("GemeentecodeGM", "Gemeentecode"),
        "name": ("Gemeentenaam",),
        "safety": ("VeiligheidsregioCode",),
        "region": ("region_code",),
    },
}


def _municipality_code(value: str, file_format: MunicipalityFormat) -> str | None:
    value = value.upper()
    if _MUNICIPALITY_CODE.fullmatch(value):
        return value
    if file_format == "cbs" and _CBS_NUMBER.fullmatch(value):
        return f"GM{int(value):04d}"  # CBS's numeric code: 344 → GM0344
    return None


def _safety_region_code(value: str, file_format: MunicipalityFormat) -> str | None:
    value = value.upper()
    if _SAFETY_REGION_CODE.fullmatch(value):
        return value
    if file_format == "cbs" and re.fullmatch(r"[0-9]{1,2}", value, re.ASCII):
        return f"VR{int(value):02d}"
    return None


def read_municipalities(
    path: Path, *, file_format: MunicipalityFormat = "vangnet"
) -> list[_MunicipalityRow]:
    problems = _Problems(path)
    rows: list[_MunicipalityRow] = []
    with _read_table(path) as table:
        col = _require_columns(
            path,
            table,
            _MUNICIPALITY_COLUMNS[file_format],
            optional=("safety", "region"),
        )
        if col["safety"] is None and col["region"] is None:
            advice = (
                "the header lacks VeiligheidsregioCode; use a CBS table that classifies "
                "municipalities by safety region (Gebieden in Nederland), or add a "
                "region_code column"
                if file_format == "cbs"
                else "the header needs a safety_region_code or a region_code column"
            )
            raise RegionDataError(path, [Problem(1, advice)])
        for line, cells in table.rows:
            raw_code = _cell(cells, col["code"])
            name = _cell(cells, col["name"])
            raw_safety = _cell(cells, col["safety"])
            region_code = _cell(cells, col["region"]).upper()
            code = _municipality_code(raw_code, file_format)
            if code is None:
                problems.add(line, f"municipality code {raw_code!r} must look like GM0344")
                continue
            if not name or len(name) > 100:
                problems.add(line, f"municipality {code} needs a name of at most 100 characters")
                continue
            safety = _safety_region_code(raw_safety, file_format) if raw_safety else ""
            if safety is None:
                problems.add(line, f"safety region code {raw_safety!r} must look like VR09")
                continue
            if not safety and not region_code:
                problems.add(line, f"municipality {code} has neither a safety region nor a region")
                continue
            rows.append(_MunicipalityRow(line, code, name, safety, region_code))
    _check_unique(problems, rows, key=lambda r: r.code, label="municipality code")
    problems.raise_if_any()
    return rows


def load_municipalities(
    *,
    path: Path = MUNICIPALITIES_FILE,
    file_format: MunicipalityFormat = "vangnet",
    prune: bool = False,
) -> ImportResult:
    """Create or update municipalities and the Veilig Thuis region each belongs to.

    With `prune`, municipalities missing from the file are deleted — but only once no
    postcode or partner organisation refers to them any more (import the postcodes first).
    """
    rows = read_municipalities(path, file_format=file_format)
    problems = _Problems(path)
    result = ImportResult("municipalities")
    with transaction.atomic():
        regions = {r.code: r for r in Region.objects.all()}
        by_safety_region: dict[str, list[Region]] = defaultdict(list)
        for region in regions.values():
            if region.safety_region_code and not region.is_national_desk:
                by_safety_region[region.safety_region_code].append(region)
        region_of: dict[str, int] = {}
        for row in rows:
            if row.region_code:
                explicit = regions.get(row.region_code)
                if explicit is None:
                    problems.add(
                        row.line,
                        f"region {row.region_code} does not exist; load the regions first "
                        "(manage.py import_regions)",
                    )
                    continue
                if explicit.is_national_desk:
                    problems.add(row.line, "a municipality cannot belong to the national desk")
                    continue
                region_of[row.code] = explicit.pk
                continue
            candidates = by_safety_region.get(row.safety_region_code, [])
            if len(candidates) == 1:
                region_of[row.code] = candidates[0].pk
            elif not candidates:
                problems.add(
                    row.line,
                    f"no Veilig Thuis region serves safety region {row.safety_region_code}; "
                    "load the regions first, or give the region in a region_code column",
                )
            else:
                codes = ", ".join(sorted(r.code for r in candidates))
                problems.add(
                    row.line,
                    f"safety region {row.safety_region_code} is served by several Veilig Thuis "
                    f"regions ({codes}); give the region in a region_code column",
                )
        problems.raise_if_any()

        existing = {m.code: m for m in Municipality.objects.select_for_update()}
        to_create: list[Municipality] = []
        to_update: list[Municipality] = []
        for row in rows:
            municipality = existing.get(row.code)
            region_id = region_of[row.code]
            if municipality is None:
                to_create.append(Municipality(code=row.code, name=row.name, region_id=region_id))
            elif municipality.name != row.name or municipality.region_id != region_id:
                municipality.name, municipality.region_id = row.name, region_id
                to_update.append(municipality)
            else:
                result.unchanged += 1
        gone = [m for code, m in existing.items() if code not in region_of]
        if prune and gone:
            _check_prunable(path, gone)
            Municipality.objects.filter(pk__in=[m.pk for m in gone]).delete()
            result.removed = len(gone)
        else:
            result.kept = len(gone)
        Municipality.objects.bulk_update(to_update, ["name", "region"], batch_size=BATCH_SIZE)
        Municipality.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        result.created, result.updated = len(to_create), len(to_update)
    return result


def _check_prunable(path: Path, gone: list[Municipality]) -> None:
    in_use = (
        Municipality.objects.filter(pk__in=[m.pk for m in gone])
        .annotate(
            n_postcodes=Count("postcodes", distinct=True),
            n_partners=Count("partner_organisations", distinct=True),
        )
        .filter(Q(n_postcodes__gt=0) | Q(n_partners__gt=0))
        .order_by("code")
    )
    problems = [
        Problem(
            None,
            f"{m.code} {m.name} is not in the file but still has {m.n_postcodes} postcodes "
            f"and {m.n_partners} partner organisations; import the postcode file with "
            "--prune and move those partners first",
        )
        for m in in_use
    ]
    if problems:
        raise RegionDataError(path, problems[:MAX_PROBLEMS], more=len(problems) > MAX_PROBLEMS)


# --- Postcodes -------------------------------------------------------------------------


def read_postcodes(
    path: Path, *, file_format: PostcodeFormat = "vangnet"
) -> dict[str, tuple[str, int]]:
    """PC4 → (municipality code, line that decided it), validated, from either format."""
    if file_format == "cbs-pc6hnr":
        return _read_pc6hnr(path)
    problems = _Problems(path)
    found: dict[str, tuple[str, int]] = {}
    with _read_table(path) as table:
        col = _require_columns(
            path,
            table,
            {"postcode": ("postcode", "pc4"), "municipality": ("municipality_code",)},
        )
        for line, cells in table.rows:
            postcode = _cell(cells, col["postcode"])
            code = _cell(cells, col["municipality"]).upper()
            if not _PC4.fullmatch(postcode):
                problems.add(line, f"postcode {postcode!r} must be 4 digits, not starting with 0")
            elif not _MUNICIPALITY_CODE.fullmatch(code):
                problems.add(line, f"municipality code {code!r} must look like GM0344")
            elif postcode in found:
                problems.add(line, f"postcode {postcode} also appears on line {found[postcode][1]}")
            else:
                found[postcode] = (code, line)
    problems.raise_if_any()
    return found


def _read_pc6hnr(path: Path) -> dict[str, tuple[str, int]]:
    """Aggregate CBS's address file to PC4: the municipality with the most addresses wins.

    Streams the file (about ten million rows); memory holds only one counter per
    (PC4, municipality) pair. A tie goes to the lowest municipality code, so the result
    does not depend on the order of the rows.
    """
    problems = _Problems(path)
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    first_line: dict[int, int] = {}
    with _read_table(path) as table:
        i_pc6 = table.index("PC6")
        gemeente = [
            key for key in table.columns if re.fullmatch(r"gemeente(code)?([0-9]{4})?", key)
        ]
        if i_pc6 is None or len(gemeente) != 1:
            raise RegionDataError(
                path,
                [
                    Problem(
                        1,
                        "expected CBS's header PC6;Huisnummer;Buurt<year>;Wijk<year>;"
                        "Gemeente<year> (semicolon-separated)",
                    )
                ],
            )
        i_gm = table.columns[gemeente[0]]
        width = max(i_pc6, i_gm) + 1
        pc6_match = _PC6.fullmatch
        for line, cells in table.rows:
            if len(cells) < width:
                problems.add(line, f"expected at least {width} columns, found {len(cells)}")
                continue
            pc6 = pc6_match(cells[i_pc6].strip())
            if pc6 is None:
                problems.add(line, f"postcode {cells[i_pc6].strip()!r} must look like 3511AB")
                continue
            raw = cells[i_gm].strip().upper().removeprefix("GM")
            if not _CBS_NUMBER.fullmatch(raw) or int(raw) == 0:
                problems.add(line, f"municipality code {cells[i_gm].strip()!r} must be a number")
                continue
            number = int(raw)
            counts[pc6.group(1)][number] += 1
            if number not in first_line:
                first_line[number] = line
    problems.raise_if_any()
    found: dict[str, tuple[str, int]] = {}
    for pc4, per_municipality in counts.items():
        number = min(per_municipality, key=lambda n: (-per_municipality[n], n))
        found[pc4] = (f"GM{number:04d}", first_line[number])
    return found


def load_postcodes(
    *,
    path: Path = POSTCODES_FILE,
    file_format: PostcodeFormat = "vangnet",
    prune: bool = False,
) -> ImportResult:
    """Create or update PC4 → municipality from `path`; with `prune`, delete PC4s not in it."""
    found = read_postcodes(path, file_format=file_format)
    problems = _Problems(path)
    result = ImportResult("postcodes")
    with transaction.atomic():
        municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
        unknown: dict[str, int] = {}
        for code, line in found.values():
            if code not in municipality_ids:
                unknown[code] = min(line, unknown.get(code, line))
        for code, line in sorted(unknown.items(), key=lambda item: item[1]):
            problems.add(
                line,
                f"municipality {code} is not in the database; import the municipalities of "
                "the same year first (manage.py import_municipalities)",
            )
        problems.raise_if_any()

        existing = {p.code: p for p in Postcode.objects.select_for_update()}
        to_create: list[Postcode] = []
        to_update: list[Postcode] = []
        for pc4, (code, _line) in sorted(found.items()):
            municipality_id = municipality_ids[code]
            postcode = existing.get(pc4)
            if postcode is None:
                to_create.append(Postcode(code=pc4, municipality_id=municipality_id))
            elif postcode.municipality_id != municipality_id:
                postcode.municipality_id = municipality_id
                to_update.append(postcode)
            else:
                result.unchanged += 1
        gone = [p.pk for code, p in existing.items() if code not in found]
        if prune:
            for start in range(0, len(gone), BATCH_SIZE):
                Postcode.objects.filter(pk__in=gone[start : start + BATCH_SIZE]).delete()
            result.removed = len(gone)
        else:
            result.kept = len(gone)
        Postcode.objects.bulk_update(to_update, ["municipality"], batch_size=BATCH_SIZE)
        Postcode.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        result.created, result.updated = len(to_create), len(to_update)
    return result


# --- The shipped data ------------------------------------------------------------------


@dataclass
class ShippedDataResult:
    results: list[ImportResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what was not there to load, and why


def load_shipped_region_data(
    *, data_dir: Path = DATA_DIR, prune: bool = False
) -> ShippedDataResult:
    """Load whatever of regions.csv, municipalities.csv and pc4.csv `data_dir` holds.

    All or nothing: one transaction around the loads. With `prune`, municipalities that
    are gone are deleted after the postcodes have moved off them (as after a merger).
    """
    outcome = ShippedDataResult()
    municipalities = data_dir / "municipalities.csv"
    postcodes = data_dir / "pc4.csv"
    with transaction.atomic():
        outcome.results.append(load_regions(path=data_dir / "regions.csv"))
        if not municipalities.exists():
            outcome.skipped.append(
                f"{municipalities} is missing: no municipalities loaded, so every postcode "
                "routes to the national desk"
            )
        else:
            loaded = load_municipalities(path=municipalities)
            outcome.results.append(loaded)
            if postcodes.exists():
                outcome.results.append(load_postcodes(path=postcodes, prune=prune))
            else:
                outcome.skipped.append(
                    f"{postcodes} is missing: every postcode routes to the national desk"
                )
            if prune and loaded.kept:
                pruned = load_municipalities(path=municipalities, prune=True)
                loaded.removed, loaded.kept = pruned.removed, pruned.kept
    return outcome


def export_region_data(*, data_dir: Path) -> dict[str, int]:
    """Write the municipalities and postcodes in the database as shipped-format CSV files."""
    data_dir.mkdir(parents=True, exist_ok=True)
    municipalities = Municipality.objects.select_related("region").order_by("code")
    with (data_dir / "municipalities.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "municipality_code",
                "municipality_name",
                "safety_region_code",
                "safety_region_name",
                "region_code",
            ]
        )
        for m in municipalities:
            writer.writerow(
                [m.code, m.name, m.region.safety_region_code, m.region.name, m.region.code]
            )
    postcodes = Postcode.objects.order_by("code").values_list("code", "municipality__code")
    with (data_dir / "pc4.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["postcode", "municipality_code"])
        writer.writerows(postcodes)
    return {"municipalities": municipalities.count(), "postcodes": postcodes.count()}
