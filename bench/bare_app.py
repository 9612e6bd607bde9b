"""The floor for bench/manifest_http.sh: a bare Flask endpoint that answers 304 to any request,
served by gunicorn with the project's own configuration."""

from flask import Flask

app = Flask(__name__)


@app.get("/bare")
def bare():
    return "", 304, {"ETag": '"bare"', "Cache-Control": "no-cache"}
