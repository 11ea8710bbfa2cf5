"""python -m sandbox [--host H] [--port N] [--autoplay SECONDS]: serve until interrupted (or SIGTERM);
port 0 takes a free port; --autoplay plays buyers and carriers every SECONDS (sandbox/autoplay.py).
The first line printed is "sandbox listening on http://H:PORT" (tests read the port from it)."""

import argparse
import signal

from sandbox.app import make_server


def stop(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM closes the server as Ctrl-C does: its threads end with it


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description="Sandbox marketplace")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 takes a free port")
    parser.add_argument(
        "--autoplay", type=float, default=0, metavar="SECONDS", help="place and move orders every SECONDS (0 = off)"
    )
    args = parser.parse_args(argv)
    if not 0 <= args.autoplay <= 86400:
        parser.error("--autoplay is 0 (off) to 86400 seconds")
    server = make_server(args.host, args.port, args.autoplay)
    host, port = server.server_address[:2]
    print(f"sandbox listening on http://{host}:{port}", flush=True)
    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
