"""Test support (not tests): factories, a logged-in 2FA-verified client, reports made through
the real services. The top layer, beside `vangnet.demo`: it may use every app; no app uses it."""
