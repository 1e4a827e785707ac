"""Shared fixtures. Session fixtures live in tests/support/ and are imported here once, so that
every test module shares one Bolt server and one browser."""
import atexit
import os
import shutil
import tempfile

# Tests must not read or fill the user's dataset cache: one fresh cache folder per test run,
# removed when the run ends.
os.environ["ESPOO_NET_CACHE"] = tempfile.mkdtemp(prefix="espoo-net-cache-")
atexit.register(shutil.rmtree, os.environ["ESPOO_NET_CACHE"], ignore_errors=True)

from tests.support.bolt import bolt_server, db  # noqa: F401
from tests.support.browser import browser  # noqa: F401
from tests.support.mapdata import small_data, small_graph  # noqa: F401
from tests.support.bundled import bundled  # noqa: F401
from tests.support.explorer import small_server  # noqa: F401
