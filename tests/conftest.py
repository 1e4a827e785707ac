"""Shared fixtures. Session fixtures live in tests/support/ and are imported here once, so that
every test module shares one Bolt server and one browser."""
