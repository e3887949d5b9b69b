"""On PostgreSQL the retention may remove old access-log entries; nothing else may (ADR 0031).

The function of migration 0002 now also lets a DELETE pass when the transaction has set
`vangnet.allow_access_log_prune` to `on` — only `audit.services.remove_entries_before` does,
with `SET LOCAL`, after verifying the removed part and while writing the signed checkpoint
that replaces it. Checkpoints themselves can never be changed or removed (TRUNCATE only for
the test suite, as for the log).
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
    IF TG_OP = 'DELETE'
       AND current_setting('vangnet.allow_access_log_prune', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the access log is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION vangnet_access_log_checkpoint_fixed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('vangnet.allow_access_log_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'access-log checkpoints are fixed: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER access_log_checkpoint_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_accesslogcheckpoint
    FOR EACH ROW EXECUTE FUNCTION vangnet_access_log_checkpoint_fixed();

CREATE TRIGGER access_log_checkpoint_no_truncate
    BEFORE TRUNCATE ON audit_accesslogcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION vangnet_access_log_checkpoint_fixed();
"""

DROP = """
DROP TRIGGER IF EXISTS access_log_checkpoint_no_truncate ON audit_accesslogcheckpoint;
DROP TRIGGER IF EXISTS access_log_checkpoint_no_update_or_delete ON audit_accesslogcheckpoint;
DROP FUNCTION IF EXISTS vangnet_access_log_checkpoint_fixed();
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
"""


def create_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_access_log_checkpoint")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
