"""classad2's side of the analysis exactness test, run in a child process per semantic mode.

    python ref_worker.py MODE  < request.json  > answer.json

The request is ``{"pool": PATH, "slot_conditions": [[TEXT...] per slot], "jobs": [{"text": AD,
"conditions": [TEXT...]}]}`` (the pool in the old long form, uncompressed; the slots are its
Machine ads, in order).  For each job the answer holds, per slot: the outcome of every job
condition evaluated in the job with the slot as TARGET (one letter each: ``t`` true as
matchmaking counts, ``f`` false, ``u`` undefined, ``e`` error), whether the job's Requirements
holds (``slot.matches(job)``), whether the slot's own does (``job.matches(slot)``), the outcome
of every slot condition evaluated in the slot with the job as TARGET, ``symmetricMatch`` (``x``
when it raises) and the job's Rank value.
"""

from __future__ import annotations

import json
import os
import sys
import time

if __name__ == "__main__":
    MODE = sys.argv[1]
    os.environ["TZ"] = "UTC"
    time.tzset()
    os.environ["_CONDOR_STRICT_CLASSAD_EVALUATION"] = "true" if MODE == "strict" else "false"
    import classad2  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import htcondor2  # type: ignore[import-untyped, import-not-found, unused-ignore]  # noqa: F401

    def letter(expr: object, scope: object, target: object) -> str:
        try:
            v = expr.eval(scope=scope, target=target)  # type: ignore[attr-defined]
        except Exception:
            return "e"
        if type(v).__name__ == "Value":
            return "e" if int(v) == 1 else "u"
        if isinstance(v, (bool, int, float)):
            return "t" if v else "f"
        return "f"

    def holds(me: object, other: object) -> bool:
        try:
            return bool(other.matches(me))  # type: ignore[attr-defined]
        except Exception:
            return False

    req = json.load(sys.stdin)
    with open(req["pool"], encoding="utf-8") as f:
        text = f.read()
    slots = [
        a
        for a in classad2.parseAds(text, classad2.ParserType.Old)
        if str(a.get("MyType", "")).lower() == "machine"
    ]
    slot_exprs = [[classad2.ExprTree(t) for t in texts] for texts in req["slot_conditions"]]
    answers = []
    for job_req in req["jobs"]:
        job = classad2.ClassAd(job_req["text"])
        exprs = [classad2.ExprTree(t) for t in job_req["conditions"]]
        rank = job.lookup("Rank") if "Rank" in job else None
        per_slot = []
        for slot, sexprs in zip(slots, slot_exprs):
            job_ok = holds(job, slot)
            slot_ok = holds(slot, job) if job_ok else None
            try:
                sym = "t" if job.symmetricMatch(slot) else "f"
            except Exception:
                sym = "x"
            rv = None
            if rank is not None:
                try:
                    r = rank.eval(scope=job, target=slot)
                    rv = float(r) if isinstance(r, (bool, int, float)) else None
                except Exception:
                    rv = None
            per_slot.append(
                {
                    "c": "".join(letter(e, job, slot) for e in exprs),
                    "j": job_ok,
                    "s": slot_ok,
                    "sc": "".join(letter(e, slot, job) for e in sexprs) if job_ok else "",
                    "m": sym,
                    "r": rv,
                }
            )
        answers.append(per_slot)
    json.dump(answers, sys.stdout)
