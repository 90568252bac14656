"""`python -m tools.demo_mailbox --port 8025 --directory var/demo/mail`: the demo's mail server.

`make run` points jikimi's mail at this SMTP server on 127.0.0.1, which keeps every message as an
.eml file (openable in any mail program) instead of delivering it: the demo's requesters, officers
and privacy officers have made-up addresses. A real deployment sets JIKIMI_EMAIL_HOST and friends.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class SaveToDirectory:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.count += 1
        first = re.sub(r"[^A-Za-z0-9@._-]", "_", envelope.rcpt_tos[0] if envelope.rcpt_tos else "unknown")
        path = self.directory / f"{time.strftime('%Y%m%d-%H%M%S')}-{self.count:04d}-{first}.eml"
        path.write_bytes(envelope.original_content or envelope.content)
        print(f"메일 보관: {path} (받는 사람 {', '.join(envelope.rcpt_tos)})", flush=True)
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(description="데모용 SMTP 서버: 받은 메일을 .eml 파일로 보관합니다")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--directory", type=Path, default=Path("var/demo/mail"))
    args = parser.parse_args()
    args.directory.mkdir(parents=True, exist_ok=True)
    controller = Controller(SaveToDirectory(args.directory), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(
        f"데모 메일 서버: 127.0.0.1:{args.port} — 메일은 {args.directory.resolve()}/ 에 .eml 파일로 보관됩니다",
        flush=True,
    )
    try:
        asyncio.run(asyncio.Event().wait())
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
