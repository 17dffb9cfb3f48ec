"""Share a list of independent jobs with forked copies of this process, one per spare core.

Used inside a render worker (a pool's daemon process may not start a pool of its own): each
copy takes every n-th job, sends its results back pickled through a pipe and exits. Results
come back in the order of the jobs, as if run here one after another.
"""

import ctypes
import os
import pickle
import signal
import traceback

PR_SET_PDEATHSIG = 1  # Linux prctl: a signal for this process when its parent ends


def share(function, jobs, processes=None):
    """``[function(job) for job in jobs]``, computed by up to ``processes`` processes (by
    default one per core). ``function`` returns picklable values."""
    jobs = list(jobs)
    processes = min(processes or os.cpu_count() or 1, len(jobs))
    if processes <= 1:
        return [function(job) for job in jobs]
    children = []
    for number in range(1, processes):
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # the copy: compute its share, send it, leave without cleaning up
            os.close(reading)
            end_with_parent()
            try:
                try:
                    result = ('ok', [function(job) for job in jobs[number::processes]])
                except BaseException:
                    result = ('error', traceback.format_exc())
                with os.fdopen(writing, 'wb') as pipe:
                    pickle.dump(result, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                # Objects that clean up after themselves (WeasyPrint's temporary font folders)
                # do so before the copy leaves without the interpreter's usual exit.
                del result
                import gc
                gc.collect()
            finally:
                os._exit(0)
        os.close(writing)
        children.append((pid, reading))
    shares, failures = [], []
    try:
        shares.append([function(job) for job in jobs[0::processes]])
    except BaseException:
        # Failed or interrupted here (Ctrl-C): the copies' work is no longer wanted.
        for pid, _ in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        raise
    finally:
        for pid, reading in children:  # every copy is waited for, even after a failure here
            with os.fdopen(reading, 'rb') as pipe:
                try:
                    status, value = pickle.load(pipe)
                except Exception as error:  # ended early, killed, or a truncated answer
                    status, value = 'error', f'it ended without a whole answer ({error!r})'
            os.waitpid(pid, 0)
            if status == 'ok':
                shares.append(value)
            else:
                failures.append(value)
    if failures:
        raise RuntimeError(f'a forked process failed:\n{failures[0]}')
    results = [None] * len(jobs)
    for number, values in enumerate(shares):
        results[number::processes] = values
    return results


def end_with_parent():
    """Have the kernel end this copy if the process that forked it ends first (a render
    worker terminated by its pool): Linux only; elsewhere the copy finishes its share."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
