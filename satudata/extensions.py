"""Flask extensions, created unbound and bound in ``create_app`` with ``init_app``."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
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
# Storage (the portal's Redis) is set in security.init_app; limits are declared on the routes.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
login.login_view = "accounts.login"
# The anonymous user (``authz.AnonymousActor``) is set in ``create_app``: authz raises the domain
# errors whose handler needs ``db``, so this module imports neither. The user loader is
# accounts' (``accounts.init_app`` registers it): the kernel imports no domain.
