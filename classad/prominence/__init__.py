"""PROMINENCE jobs as the HTCondor job ads PROMINENCE's server submits.

A PROMINENCE job (its Python client's ``Job.to_dict()`` form: ``name``, ``labels``,
``resources``, ``tasks``, ``policies``, ``preemptible``, ``inputs``...) is turned into the submit
commands PROMINENCE's server writes (facts from its public source,
``frontend/prominence/backend/create_htcondor_job.py``; no code copied) and run through
:class:`classad.submit.Submit`:

* the job runs PROMINENCE's ``promlet.py`` in the vanilla universe with file transfer
  (``ON_EXIT_OR_EVICT``, streamed output, ``.job.json``/``.job.mapped.json`` and the job's input
  files as inputs), logs under ``job_path``;
* ``RequestCpus = cpus``, ``RequestMemory = 1000 * memory`` (GB to MB), ``RequestDisk = disk *
  10^9 / 1024`` (GB to KiB);
* ``+ProminenceName``, ``+ProminenceJobUniqueIdentifier``, ``+ProminenceIdentity``,
  ``+ProminenceGroup``, ``+ProminenceEmail``, ``+ProminenceType = "job"``, ``+WantIOProxy``;
* ``+ProminenceMaxRunTime`` (minutes, three times ``walltime``; 2160 by default),
  ``+ProminenceMaxIdleTime``, ``+ProminenceMaxTimeInQueue`` (seconds), ``+ProminencePreemptible``,
  ``+ProminenceWantJobRouter`` (off for ``autoScalingType`` none), ``+ProminenceRemoveFromQueue``
  and ``leave_in_queue`` from ``leaveInQueue``;
* placement: ``stringListMember(TARGET.ProminenceCloud, "sites")`` and
  ``stringListMember(TARGET.ProminenceRegion, "regions")`` appended to ``Requirements = True``;
* ``+ProminenceWantMPI`` for multi-node jobs or MPI tasks, ``+remote_cerequirements_default``;
* labels as ``+ProminenceUserMetadata_<label>`` and ``+ProminenceUserMetadata``.

Left out, because they need PROMINENCE's servers: the job token (``+ProminenceJobToken``), the
server URL (``+ProminenceURL``) and the presigned URLs that replace image, artifact and output
names in the mapped job description.  The server writes both placement clauses with
``$(Requirements)``, where the later would replace the earlier; here both are kept, the
evident intent.
"""

from __future__ import annotations

from classad.prominence.job import ProminenceError, job_ad, submit_commands

__all__ = ["ProminenceError", "job_ad", "submit_commands"]
