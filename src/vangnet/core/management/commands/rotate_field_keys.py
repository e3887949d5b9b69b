"""Encrypt every encrypted column again with the newest key of FIELD_ENCRYPTION_KEYS."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from vangnet.core.crypto import EncryptedTextField


class Command(BaseCommand):
    help = (
        "Re-encrypt all encrypted fields with the first key of FIELD_ENCRYPTION_KEYS; "
        "afterwards older keys can be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for model in apps.get_models():
            names = [
                f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
            ]
            if not names:
                continue
            count = 0
            with transaction.atomic():
                # Reading decrypts with any listed key; saving encrypts with the first one.
                for obj in model._default_manager.select_for_update().iterator():
                    obj.save(update_fields=names)
                    count += 1
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
