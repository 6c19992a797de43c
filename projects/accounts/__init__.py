"""Signing in safely: password rules, the client's address, the lockout's message, the
second factor (TOTP and recovery codes) and the throttled password reset."""
