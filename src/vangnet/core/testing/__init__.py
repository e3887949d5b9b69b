"""Test helpers shared by all apps: factories and a logged-in, 2FA-verified client."""
