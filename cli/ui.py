"""``plenty ui``: the local web app beside your mail."""

from __future__ import annotations

import click

from cli.common import reports_errors, settings


@click.command("ui")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on. Anything but loopback lets other machines reach your data.")
@click.option("--open", "open_browser", is_flag=True, help="Open the app in your web browser.")
@reports_errors
def ui(port: int, host: str, open_browser: bool) -> None:
    """Serve plenty's web app on this machine (http://127.0.0.1:8765 by default) until Ctrl-C: your rejections and
    their new matches, the applications board, similar companies, the weekly digests and search."""
    import socket

    import uvicorn

    from datahome.errors import InputError
    from ui.app import create_app
    from ui.security import is_loopback

    s = settings()
    s.ensure_dirs()
    if not is_loopback(host):
        click.echo(f"Warning: listening on {host}: other machines on that network can reach your rejections, "
                   "journal and matches. There is no login.", err=True)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port") from None
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    click.echo(f"plenty ui: {url} (data home {s.home}); Ctrl-C stops it")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(s, bind_host=host), host=host.strip("[]"), port=port, log_level="warning",
                access_log=False, server_header=False)
