"""Voice webhooks (being written)."""
from flask import Blueprint

blueprint = Blueprint("voice", __name__, url_prefix="/voice")
