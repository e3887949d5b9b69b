"""On PostgreSQL the database refuses to change or remove the records of an entry, too.

Uses the function of migration 0002 (UPDATE and DELETE always refused; TRUNCATE only when the
session allows it, as the test suite does).
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = """
CREATE TRIGGER access_log_record_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_accesslogrecord
    FOR EACH ROW EXECUTE FUNCTION vangnet_access_log_append_only();

CREATE TRIGGER access_log_record_no_truncate
    BEFORE TRUNCATE ON audit_accesslogrecord
    FOR EACH STATEMENT EXECUTE FUNCTION vangnet_access_log_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS access_log_record_no_truncate ON audit_accesslogrecord;
DROP TRIGGER IF EXISTS access_log_record_no_update_or_delete ON audit_accesslogrecord;
"""


def create_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_lossless_records")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
