"""Shared output for the region data commands."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from vangnet.regions.data_import import ImportResult


def report(command: BaseCommand, result: ImportResult, *, pruning_possible: bool = True) -> None:
    style = command.style.SUCCESS if result.changed else command.style.NOTICE
    command.stdout.write(style(result.summary()))
    if result.kept and pruning_possible:
        command.stdout.write(
            command.style.WARNING(
                f"{result.kept} {result.what} in the database are not in the file and were "
                "kept; run the command again with --prune to delete them."
            )
        )
