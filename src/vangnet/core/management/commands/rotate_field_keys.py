"""Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEYS.

Run after putting a new key in front; afterwards the old keys can be removed. Safe to run
again: values already under the first key are left as they are.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from vangnet.core.crypto import EncryptedTextField, is_encrypted_with_current_key, rotate


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the newest key (FIELD_ENCRYPTION_KEYS[0])."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            pk = connection.ops.quote_name(str(model._meta.pk.column))
            for field in fields:
                column = connection.ops.quote_name(str(field.column))
                changed = 0
                # Raw SQL: the tokens themselves, not what the field makes of them.
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"SELECT {pk}, {column} FROM {table}")  # noqa: S608
                    for row_id, token in cursor.fetchall():
                        if token and not is_encrypted_with_current_key(token):
                            cursor.execute(
                                f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                                [rotate(token), row_id],
                            )
                            changed += 1
                total += changed
                self.stdout.write(f"{model._meta.label}.{field.name}: {changed} re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} values re-encrypted."))
