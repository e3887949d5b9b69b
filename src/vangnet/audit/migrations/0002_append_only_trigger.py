"""On PostgreSQL the database itself refuses to change or remove access-log entries.

UPDATE and DELETE are refused always. TRUNCATE is refused unless the session has set
`vangnet.allow_access_log_truncate` to `on` — only the test suite does that, because
Django empties tables between transactional tests with TRUNCATE. SQLite has no such
triggers worth the name; there the application layer and `verify_access_log` guard the log.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = """
CREATE OR REPLACE FUNCTION vangnet_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('vangnet.allow_access_log_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the access log is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER access_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION vangnet_access_log_append_only();

CREATE TRIGGER access_log_no_truncate
    BEFORE TRUNCATE ON audit_accesslogentry
    FOR EACH STATEMENT EXECUTE FUNCTION vangnet_access_log_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS access_log_no_truncate ON audit_accesslogentry;
DROP TRIGGER IF EXISTS access_log_no_update_or_delete ON audit_accesslogentry;
DROP FUNCTION IF EXISTS vangnet_access_log_append_only();
"""


def create_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
