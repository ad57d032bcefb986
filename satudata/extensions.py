"""Flask extensions, created unbound and bound in ``create_app`` with ``init_app``."""

import ipaddress

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from satudata.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login = LoginManager()


def client_network(address: str | None = None) -> str:
    """Who a per-client limit counts: the client's IPv4 address, or the /64 network of an IPv6
    one (an ISP hands each customer at least a /64, so counting single IPv6 addresses lets one
    client take 2^64 turns). ``address`` defaults to the request's (behind the proxy: see
    ``security.init_app``'s ProxyFix); anything unparsable is counted as given."""
    text = (request.remote_addr if address is None else address) or ""
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return text
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


# Storage (the portal's Redis) is set in security.init_app; limits are declared on the routes.
limiter = Limiter(key_func=client_network, default_limits=[])
login.login_view = "accounts.login"
# The anonymous user (``authz.AnonymousActor``) is set in ``create_app``: authz raises the domain
# errors whose handler needs ``db``, so this module imports neither. The user loader is
# accounts' (``accounts.init_app`` registers it): the kernel imports no domain.
