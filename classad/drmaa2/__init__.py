"""DRMAA2 on HTCondor: a ``JobTemplate`` becomes a job ad, a job ad becomes ``JobInfo``.

:func:`job_ad` takes a DRMAA2 job template (the reference Python binding's ``JobTemplate``
object, or a mapping with its attribute names) and returns the job ad HTCondor would make, by
translating the template into submit commands (:func:`submit_commands`) and running them
through :class:`classad.submit.Submit`, so the semantics are condor_submit's.  Each attribute
maps to what a DRMAA2 implementation on HTCondor does:

=====================  ====================================================================
``remoteCommand``      ``executable``
``args``               ``arguments`` (new syntax, each word kept whole)
``jobEnvironment``     ``environment`` (new syntax)
``workingDirectory``   ``initialdir``
``inputPath`` etc.     ``input``/``output``/``error``; ``joinFiles`` sends errors to the output
``jobName``            ``batch_name``
``priority``           ``priority``
``minSlots``           ``request_cpus`` (``maxSlots`` must then be absent or equal)
``minPhysMemory``      ``request_memory`` (KiB, rounded up to MiB by HTCondor)
``machineOS``          ``TARGET.OpSys`` clause (LINUX, WIN, MACOS, BSD)
``machineArch``        ``TARGET.Arch`` clause (X86, X64, ARM64, PPC64, PPC64LE)
``candidateMachines``  ``stringListIMember(TARGET.Machine, ...)`` clause
``accountingId``       ``accounting_group``
``email``              ``notify_user``; ``emailOnStarted``/``emailOnTerminated`` choose
                       ``notification`` (Start, Complete, Always, Never)
``submitAsHold``       ``hold``
``rerunnable``         true is HTCondor's behaviour; false has no HTCondor meaning (refused)
``startTime``          ``deferral_time`` (epoch seconds or a ``datetime``)
``deadlineTime``       ``periodic_remove = time() > deadline``
``stageInFiles``       ``transfer_input_files`` (the job-side name must be the base name)
``stageOutFiles``      ``transfer_output_files`` and ``transfer_output_remaps``
``resourceLimits``     WALLCLOCK_TIME: ``allowed_execute_duration``; CPU_TIME:
                       ``periodic_remove`` on ``RemoteUserCpu``; CORE_FILE_SIZE: ``core_size``;
                       STACK_SIZE: ``stack_size`` (others refused)
``extension``          extra submit commands, written as given
=====================  ====================================================================

``queueName`` and ``reservationId`` have no HTCondor meaning: a template that sets them is
refused with a :class:`Drmaa2Error` naming the attribute (DRMAA2 lets implementations refuse
unsupported attributes).  DRMAA2's placeholders ``$DRMAA2_INDEX$``, ``$DRMAA2_HOME_DIR$`` and
``$DRMAA2_WORKING_DIR$`` in paths become ``$(Process)``, the machine's ``$HOME`` and the job's
working directory.

:func:`job_info` reads a job ad back as DRMAA2 ``JobInfo`` fields and :class:`JobState`.
"""

from __future__ import annotations

from classad.drmaa2.info import JobInfo, JobState, job_info
from classad.drmaa2.template import Drmaa2Error, job_ad, submit_commands

__all__ = ["Drmaa2Error", "JobInfo", "JobState", "job_ad", "job_info", "submit_commands"]
