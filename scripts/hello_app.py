"""The yardstick for scripts/bench.py: a one-line Flask app."""
from flask import Flask

app = Flask(__name__)
app.add_url_rule("/", "hello", lambda: "Hello")
