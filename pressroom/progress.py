"""What a build says while it works and when it ends.

On a terminal, a live line per job being made (rich); piped or in a log, one plain line per
job as it finishes (flushed, so a CI log shows progress). Either way, "made" lines only say a
job's layout is done: files are in place, and said so, only once the whole build succeeded.
"""

import sys
import time


class Quiet:
    """Says nothing while working (``-q``)."""

    def planned(self, jobs):
        pass

    def finished(self, job, outputs):
        pass

    def close(self):
        pass


class Lines(Quiet):
    """One line per finished job, for logs and pipes."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout
        self.started = time.perf_counter()
        self.total = self.count = 0

    def planned(self, jobs):
        self.total = len(jobs)
        if jobs:
            self.say(f'making {len(jobs)} of the build\'s jobs: '
                     + ', '.join(job.id for job in jobs))

    def finished(self, job, outputs):
        self.count += 1
        pages = sum(output.pages for output in outputs)
        files = len(outputs)
        self.say(f'[{self.count}/{self.total}] made {job.id}: {files} file{"s" * (files != 1)}'
                 f', {pages} pages ({time.perf_counter() - self.started:.1f} s)')

    def say(self, line):
        print(line, file=self.stream, flush=True)


class Live(Quiet):
    """A rich progress display on a terminal: a bar of jobs done and the ones still running."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, \
            TextColumn, TimeElapsedColumn
        self.console = Console(highlight=False)
        self.display = Progress(SpinnerColumn(), TextColumn('{task.description}'), BarColumn(),
                                MofNCompleteColumn(), TimeElapsedColumn(),
                                console=self.console, transient=True)
        self.task = None
        self.waiting = []

    def planned(self, jobs):
        self.waiting = [job.id for job in jobs]
        self.display.start()
        self.task = self.display.add_task(self.describe(), total=len(jobs))

    def finished(self, job, outputs):
        if job.id in self.waiting:
            self.waiting.remove(job.id)
        self.display.update(self.task, advance=1, description=self.describe())

    def describe(self):
        shown = ', '.join(self.waiting[:3]) + (' …' if len(self.waiting) > 3 else '')
        return f'making {shown}' if self.waiting else 'writing the files'

    def close(self):
        self.display.stop()


def reporter(quiet, stream=None):
    """The display for this run: none, live on a terminal, or lines."""
    stream = stream or sys.stdout
    if quiet:
        return Quiet()
    if stream.isatty():
        return Live()
    return Lines(stream)


def summary(outputs, kept, out, warnings, changes_files, seconds):
    """The closing lines of a successful build: what was made or kept, where, the warnings and
    the change reports."""
    files = len(outputs)
    lines = [f'built {files} file{"s" * (files != 1)} into {out} in {seconds:.1f} s'
             + (f'; {kept} job{"s" * (kept != 1)} unchanged, kept' if kept else '')]
    if warnings:
        lines.append(f'{len(warnings)} warning{"s" * (len(warnings) != 1)} (listed above): '
                     'the build is complete, but read them')
    for path in changes_files:
        lines.append(f'what changed, for the reviewer: {path}')
    return lines
