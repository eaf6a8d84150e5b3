"""SMS webhooks (being written)."""
from flask import Blueprint

blueprint = Blueprint("sms", __name__, url_prefix="/sms")
