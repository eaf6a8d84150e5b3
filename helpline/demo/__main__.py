"""``python -m helpline.demo [--no-wait] [--port N] [--speed X]``: the same as ``helpline demo``."""
from helpline.cli import demo

if __name__ == "__main__":
    demo(prog_name="python -m helpline.demo")
