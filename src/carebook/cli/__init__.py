"""The carebook command: no subcommand opens the GUI; subcommands do headless work."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from carebook.domain.errors import DomainError
from carebook.i18n import set_language, tr
from carebook.paths import app_paths
from carebook.services.errors import ServiceError
from carebook.settings import load_settings
from carebook.storage.errors import StorageError

log = logging.getLogger("carebook")

# The commands (and through them SQLAlchemy, a second to import on a modest laptop) are imported
# only for a subcommand: opening the GUI must not wait for them before its first rows.


def _add_common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # SUPPRESS on subparsers lets --db and --debug stand before or after the subcommand.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db", default=default, help=tr("数据库文件路径或 URL（默认：用户数据目录）")
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help=tr("出错时显示完整的错误跟踪"),
    )


def build_parser() -> argparse.ArgumentParser:
    from carebook import __version__
    from carebook.cli import commands
    from carebook.cli.arguments import Parser

    parser = Parser(prog="carebook", description=tr("关爱簿：留守儿童和困境儿童关爱台账"))
    parser.add_argument("--version", action="version", version=f"carebook {__version__}")
    _add_common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in commands.MODULES:
        for sub_parser in module.register(sub):
            _add_common(sub_parser, top=False)
    return parser


def _speak_chosen_language() -> None:
    """Help and messages in the language chosen in 设置, before any text is made."""
    try:
        set_language(load_settings(app_paths().settings_file).language)
    except OSError as exc:
        log.warning("settings unreadable, staying in Chinese: %s", exc)


def _gui_args(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """--db / --debug and nothing else (no subcommand, no help): the GUI's arguments."""
    parser = argparse.ArgumentParser(prog="carebook", add_help=False)
    _add_common(parser, top=True)
    args, rest = parser.parse_known_args(argv)
    return None if rest else args


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        # Ctrl-C while the libraries still load (a second or two on a slow laptop): no traceback.
        print(tr("已取消。"), file=sys.stderr)
        return 1


def _main(argv: Sequence[str] | None) -> int:
    _speak_chosen_language()
    gui_args = _gui_args(argv)
    if gui_args is not None:
        return gui_main(gui_args)
    from carebook.cli.context import CliError, Context

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # e.g. an option the GUI's own parse did not know
        return gui_main(args)
    ctx = Context(args)
    try:
        return int(args.handler(ctx, args) or 0)
    except KeyboardInterrupt:
        print(tr("已取消。"), file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Output piped into head or a closed pager: nothing more to say.
        sys.stderr.close()
        return 1
    except (CliError, ServiceError, StorageError, DomainError) as exc:
        if args.debug:
            raise
        print(f"carebook: {getattr(exc, 'message', None) or exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        if args.debug:
            raise
        log.exception("command %s failed", args.command)
        print(
            tr("carebook: 出现意外错误：{error}（加 --debug 查看详情）", error=exc), file=sys.stderr
        )
        return 1
    finally:
        ctx.close()


def gui_main(args: argparse.Namespace | None = None) -> int:
    """Open the desktop application (the GUI is imported only here, never by headless commands)."""
    if args is None:
        args = _gui_args([])
    from carebook.gui.application import run_application

    return run_application(db=args.db, debug=args.debug)
