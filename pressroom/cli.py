"""Command line: ``build.py [build|check|watch] [--source DIR] [--out DIR] ...`` and
``build.py new booklet|card SLUG``; installed, the same as the ``pressroom`` command."""

import argparse
import os
import shlex
import sys
from pathlib import Path

from . import pipeline
from .errors import ContentError, PressroomError, UsageError

PROJECT = Path(__file__).resolve().parents[1]

DESCRIPTION = """\
Build patient booklets (A5 PDF), alert cards and their web edition from Markdown.

commands:
  build   (default) build every output from the content root into the output folder
  check   validate the sources (metadata, ids, references, images, cards, review dates,
          readability) without writing PDFs; --strict, --format json
  watch   serve the web edition on http://127.0.0.1:8000/ with live reload, rebuilding on save
  new     start a booklet or an alert card from a minimal valid example:
          new booklet SLUG, new card SLUG [--booklet SLUG] (see new --help)
  ids SLUG
          list every id of a booklet a reference may name, with its heading and page
  merge-reports DIR... --out DIR
          join the output folders of build --shard K/N runs into one

exit status: 0 success, 1 content errors (printed as path:line: error: message),
             2 usage error, 3 internal error (a bug: please report it)
"""


def parser(prog='build.py', home=None):
    result = argparse.ArgumentParser(prog=prog, description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    result.add_argument('command', nargs='?', choices=('build', 'check', 'watch'), default='build',
                        help='what to do (default: build)')
    result.add_argument('--source', metavar='DIR', default=None,
                        help='content root holding booklet/ and cards/ (default: '
                             f'{home_name(home)})')
    result.add_argument('--out', metavar='DIR', default=None,
                        help=f'output folder (default: output/ in {home_name(home)})')
    result.add_argument('--html', action='store_true',
                        help='also write, next to every PDF, the exact HTML given to WeasyPrint')
    result.add_argument('--formats', metavar='LIST', default=','.join(pipeline.formats()),
                        help='which outputs to build, comma-separated (default: all of '
                             f'{",".join(pipeline.formats())})')
    result.add_argument('--booklet', metavar='SLUG', action='append', default=None,
                        help='build only this booklet\'s outputs (repeat for several); the '
                             'cache keeps every other output as it is')
    result.add_argument('--force', action='store_true',
                        help='rebuild everything, ignoring the cache in the output folder')
    result.add_argument('--shard', metavar='K/N', default=None, type=shard,
                        help='build only the K-th of N shares of the jobs (a CI matrix); join '
                             'the output folders with merge-reports')
    result.add_argument('--port', type=int, default=8000,
                        help='watch: the port to serve the web edition on (127.0.0.1 only)')
    result.add_argument('--strict', action='store_true',
                        help='check and build: a publication past its next review date is an '
                             'error (otherwise a warning)')
    result.add_argument('--format', choices=('text', 'json'), default='text',
                        help='check: how to print the findings (json for CI)')
    noise = result.add_mutually_exclusive_group()
    noise.add_argument('-q', '--quiet', action='store_true', help='print only problems')
    noise.add_argument('-v', '--verbose', action='store_true',
                       help='also say what the cache skipped, and the total time')
    return result


def home_name(home):
    return 'this repository' if home is None else 'the current folder'


def main(argv=None, prog='build.py', home=None):
    """``home``: the default content root, which holds the default output/ folder; ``None``
    for this repository (build.py), the current folder for the installed command."""
    try:
        code = command_line(argv, prog, home)
        sys.stdout.flush()  # here, so that a reader gone away is noticed here
        return code
    except BrokenPipeError:
        return reader_gone()


def reader_gone():
    """The reader of the output left (``check | head -1``): it has what it wanted, so end
    quietly, and let Python flush what is left into nothing rather than report it."""
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        except (OSError, ValueError):  # (not a real file: a test's capture)
            pass
    return 1


def command_line(argv, prog, home):
    """Run the command ``argv`` names; its exit code."""
    argv = sys.argv[1:] if argv is None else [str(arg) for arg in argv]
    if argv[:1] == ['new']:
        return new(argv[1:], prog, home)
    if argv[:1] == ['ids']:
        return ids(argv[1:], prog, home)
    if argv[:1] == ['merge-reports']:
        return merge_reports(argv[1:], prog)
    args = parser(prog, home).parse_args(argv)
    if args.source is None:
        args.source = str(home or PROJECT)
    out = Path(args.out) if args.out else Path(home or PROJECT) / 'output'
    progress = (lambda line: None) if args.quiet else print
    try:
        if args.command == 'check':
            return report_check(*pipeline.check(args.source, strict=args.strict), args, progress)
        if args.command == 'watch':
            from .watch import watch
            return watch(args.source, out, port=args.port, progress=print)
        else:
            _, warnings, _ = run_build(args, out, progress)
    except PressroomError as error:
        return shown(error, prog)
    except KeyboardInterrupt:
        print(f'{prog}: interrupted; previous outputs are unchanged', file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise  # not a bug: main ends quietly
    except Exception as error:  # a bug, not bad input: say so in one line, keep outputs
        if os.environ.get('PRESSROOM_DEBUG'):
            raise
        last = str(error).strip().splitlines()[-1:] or [type(error).__name__]
        print(f'{prog}: internal error: {last[0]} (previous outputs are unchanged; '
              'set PRESSROOM_DEBUG=1 for the traceback)', file=sys.stderr)
        return 3
    for warning in warnings:
        print(warning.format(), file=sys.stderr)
    return 0


def shown(error, prog):
    """Print a failure the user can act on; its exit code. Content errors are every problem
    at its ``path:line``; others one line naming the command."""
    if isinstance(error, ContentError):
        for problem in error.problems:
            print(problem.format(), file=sys.stderr)
    else:
        print(f'{prog}: error: {error}', file=sys.stderr)
    return error.exit_code


def command():
    """The installed ``pressroom`` command: the content root and output/ default to the
    current folder."""
    return main(prog='pressroom', home=Path('.'))


def new_parser(prog, home):
    result = argparse.ArgumentParser(
        prog=f'{prog} new', description='Start a booklet or an alert card from a minimal valid '
        'example, with placeholder text to replace: booklet/SLUG/ or cards/SLUG/ in the '
        'content root.')
    result.add_argument('kind', choices=('booklet', 'card'), help='what to create')
    result.add_argument('slug', metavar='SLUG', help="the folder's name: lower-case letters, "
                        "digits and '-' (it names the output files and the web address)")
    result.add_argument('--source', metavar='DIR', default=None,
                        help=f'content root (default: {home_name(home)})')
    result.add_argument('--booklet', metavar='SLUG', default=None,
                        help="card: the booklet whose web page the card's QR code opens "
                             '(default: the only booklet of the content root)')
    return result


def new(argv, prog, home):
    """``new booklet|card SLUG``: create the folder, say what was written and what to run next."""
    from .new import new_booklet, new_card
    args = new_parser(prog, home).parse_args(argv)
    source = str(home or PROJECT) if args.source is None else args.source
    try:
        if args.booklet is not None and args.kind != 'card':
            raise UsageError('--booklet is for new card only')
        created = (new_booklet(source, args.slug) if args.kind == 'booklet'
                   else new_card(source, args.slug, args.booklet))
    except PressroomError as error:
        return shown(error, prog)
    print(f'created {created.folder}/' + ('' if Path(source) == Path('.') else f' in {source}')
          + ':')
    for path in created.files:
        print(f'  {path}')
    for note in created.notes:
        print(note)
    run = 'python build.py' if prog == 'build.py' else prog
    where = '' if args.source is None else f' --source {shlex.quote(args.source)}'
    print(f'next: replace the placeholder text, then run\n  {run} check{where}\n'
          f'  {run} build{where}')
    return 0


def ids(argv, prog, home):
    """``ids SLUG``: every id of a booklet, with its heading and its page."""
    from .ids import booklet_ids, ids_table
    arguments = argparse.ArgumentParser(
        prog=f'{prog} ids', description="List every id of a booklet that a reference "
        "[text](#id) may name, with its heading, where it is written and, once the booklet is "
        'built, its page; ids made from heading text are marked *.')
    arguments.add_argument('slug', metavar='SLUG', help="the booklet's folder in booklet/")
    arguments.add_argument('--source', metavar='DIR', default=None,
                           help=f'content root (default: {home_name(home)})')
    arguments.add_argument('--out', metavar='DIR', default=None,
                           help='the output folder whose build report gives the pages '
                                f'(default: output/ in {home_name(home)})')
    args = arguments.parse_args(argv)
    source = str(home or PROJECT) if args.source is None else args.source
    out = Path(args.out) if args.out else Path(home or PROJECT) / 'output'
    try:
        print(ids_table(booklet_ids(source, args.slug, out)))
    except PressroomError as error:
        return shown(error, prog)
    return 0


def shard(text):
    """``K/N`` -> (k, n), with 1 <= k <= n."""
    try:
        k, n = (int(part) for part in text.split('/'))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not K/N, e.g. 1/4") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"'{text}': K must be from 1 to N")
    return k, n


def merge_reports(argv, prog):
    """``merge-reports DIR... --out DIR``: one output folder from the shards' folders."""
    from .merge import merge
    arguments = argparse.ArgumentParser(
        prog=f'{prog} merge-reports', description='Join the output folders of build --shard '
        'K/N runs into one, file for file the same as a single build.')
    arguments.add_argument('folders', nargs='+', metavar='DIR', help="the shards' output folders")
    arguments.add_argument('--out', metavar='DIR', required=True, help='the joined output folder')
    args = arguments.parse_args(argv)
    try:
        merge(args.folders, args.out)
    except PressroomError as error:
        return shown(error, prog)
    return 0


def formats(args):
    chosen = [name.strip() for name in args.formats.split(',') if name.strip()]
    unknown = [name for name in chosen if name not in pipeline.formats()]
    if unknown or not chosen:
        raise UsageError(f'--formats: unknown {", ".join(unknown) or "(empty)"}; choose from '
                         f'{",".join(pipeline.formats())}')
    return tuple(chosen)


def run_build(args, out, progress):
    """The build, saying what it makes as it goes (progress.py: live on a terminal, a line
    per finished job when piped) and, once the files are in place, where they are."""
    import time

    from .progress import reporter
    started = time.perf_counter()
    verbose = print if args.verbose else None
    result = pipeline.build(args.source, out, write_html=args.html, progress=progress,
                            force=args.force, verbose=verbose, formats=formats(args),
                            shard=args.shard, strict=args.strict,
                            reporter=reporter(args.quiet), booklets=args.booklet)
    if args.verbose:
        print(f'done in {time.perf_counter() - started:.2f} s')
    return result


def report_check(problems, readability, args, progress):
    """Print what ``check`` found; exit 1 when there are errors."""
    errors = sorted(problems.errors, key=lambda problem: (problem.path, problem.line))
    warnings = sorted(problems.warnings, key=lambda problem: (problem.path, problem.line))
    if args.format == 'json':
        import json
        print(json.dumps({
            'errors': [vars(problem) for problem in errors],
            'warnings': [vars(problem) for problem in warnings],
            'readability': [{'path': result.path, 'booklet': result.booklet,
                             'smog': result.smog, 'sentences': result.sentences,
                             'long_sentences': len(result.long_sentences),
                             'hard_words': [vars(hard) for hard in result.hard_words]}
                            for result in readability],
        }, indent=2))
        return 1 if errors else 0
    from .check.readability import hard_words_list, readability_table
    for problem in errors + warnings:
        print(problem.format(), file=sys.stderr)
    if readability:
        progress('\nReadability (SMOG grade of the prose; aim for 12 or below):')
        progress(readability_table(readability))
        progress('\nHard words (3 or more syllables, which raise the grade; '
                 '→ a plainer word from plain-words.txt):')
        progress(hard_words_list(readability))
    progress(f'\ncheck: {len(errors)} errors, {len(warnings)} warnings')
    return 1 if errors else 0
