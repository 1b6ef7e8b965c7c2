"""Commands in turn, round after round, each in a process of its own: CPU (user + system, from
wait4, in microseconds, not time's 10 ms) and peak RSS of each, their medians, and the paired
difference of every command from the first.

python3 bench/pairs.py ROUNDS LABEL="COMMAND ARGS..." [LABEL="COMMAND ARGS..."]...
Each run starts with /tmp/o-pairs removed, so a command may write its output there.
"""
import os, sys, shutil, subprocess, statistics
rounds = int(sys.argv[1]); cmds = [a.split('=', 1) for a in sys.argv[2:]]
res = {l: [] for l, _ in cmds}
for r in range(rounds):
    for lab, cmd in cmds:
        shutil.rmtree('/tmp/o-pairs', ignore_errors=True)
        p = subprocess.Popen(cmd.split(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        if status != 0: print('FAILED', lab, status)
        res[lab].append(((ru.ru_utime + ru.ru_stime) * 1000, ru.ru_maxrss / 1024))
for lab, v in res.items():
    cpu = sorted(x[0] for x in v); rss = sorted(x[1] for x in v)
    print(f"{lab}: CPU median {statistics.median(cpu):.0f} ms ({', '.join(f'{c:.0f}' for c in cpu)}); peak RSS median {statistics.median(rss):.1f} MB ({rss[0]:.0f}-{rss[-1]:.0f})")
labs = [l for l, _ in cmds]
for l in labs[1:]:
    d = [res[l][i][0] - res[labs[0]][i][0] for i in range(rounds)]
    print(f"{l} - {labs[0]}: paired median {statistics.median(d):+.0f} ms, {sum(x < 0 for x in d)} of {rounds} lower")
