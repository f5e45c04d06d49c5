"""Translation steps for the job's policies: status and hold, standard files, credentials,
notification, rank, periodic and exit policies, retries, kill signals and deferral, as
condor_submit 24.12 writes them."""

from __future__ import annotations

import re

from classad.ast import Literal
from classad.submit.errors import SubmitError
from classad.submit.steps import StepBase, _fix_signal, _wrap_for_or
from classad.submit.values import string_to_bool, string_to_int

__all__ = ["PolicySteps"]


class PolicySteps(StepBase):
    """Status, standard files, credentials, notification, rank, policies, retries, signals."""

    def set_status(self) -> None:
        hold = self.bool_param("hold", None, False)
        if hold:
            self.job.integer("JobStatus", 5)
            self.job.integer("HoldReasonCode", 15)
            self.job.string("HoldReason", "submitted on hold at user's request")
        else:
            self.job.integer("JobStatus", 1)
        self.job.integer("EnteredCurrentStatus", self.spec.qdate)

    def set_std(
        self, key: str, alt: str, attr: str, transfer_key: str, transfer_attr: str, stream_key: str
    ) -> None:
        stream_attr = {"In": "StreamIn", "Out": "StreamOut", "Err": "StreamErr"}[attr]
        transfer = True
        must_set = False
        t = self.param(transfer_key, transfer_attr)
        if t is not None:
            got = string_to_bool(t)
            if got is not None and got != transfer:
                must_set = True
                transfer = got
        stream = False
        s = self.param(stream_key, stream_attr)
        if s is not None:
            got = string_to_bool(s)
            stream = got if got is not None else stream
        value = self.param(key, alt)
        if not value:
            transfer = False
            stream = False
            value = "/dev/null"
        elif value == "/dev/null":
            transfer = False
            stream = False
        self.job.string(attr, value)
        if transfer:
            self.job.boolean(stream_attr, stream)
            if must_set:
                self.job.boolean(transfer_attr, transfer)
        else:
            self.job.boolean(transfer_attr, False)

    def set_credentials(self) -> None:
        if self.bool_param("use_x509userproxy", None, False):
            raise self.fail("not supported: X.509 proxies need the proxy file", "use_x509userproxy")
        use_cmd = self.param("use_scitokens", "use_scitoken")
        token_file = self.param("scitokens_file", "ScitokensFile")
        bearer = self.spec.machine.environ.get("BEARER_TOKEN_FILE") or None
        use = token_file is not None
        if use_cmd is not None:
            if use_cmd.lower() == "auto":
                use = token_file is not None or bearer is not None
            else:
                got = string_to_bool(use_cmd)
                if got is None:
                    raise self.fail(
                        "use_scitokens error. Value should be true, false, or auto", "use_scitokens"
                    )
                use = got
        if use:
            chosen = token_file or bearer
            if not chosen:
                raise self.fail(
                    "No Scitokens filename specified. Expected either scitokens_file command or the "
                    "BEARER_TOKEN_FILE environment variable to be set",
                    "use_scitokens",
                    "scitokens_file",
                )
            self.job.string("ScitokensFile", self.full_path(chosen, self.iwd))

    def set_notification(self) -> None:
        how = self.param("notification", "JobNotification")
        codes = {"never": 0, "always": 1, "complete": 2, "error": 3, "start": 4}
        if how is None:
            code = 0
        else:
            got = codes.get(how.lower())
            if got is None:
                raise self.fail(
                    "Notification must be 'Never', 'Always', 'Complete', 'Start', or 'Error'", "notification"
                )
            code = got
        self.job.integer("JobNotification", code)

    def set_rank(self) -> None:
        rank = self.param("rank", "Rank") or self.param("preferences", "Rank")
        if rank:
            self.expr("Rank", rank, "rank", "preferences")
        else:
            self.job.real("Rank", 0.0)

    def set_periodic(self) -> None:
        for key, attr in (
            ("periodic_hold", "PeriodicHold"),
            ("periodic_hold_reason", "PeriodicHoldReason"),
            ("periodic_hold_subcode", "PeriodicHoldSubCode"),
            ("periodic_release", "PeriodicRelease"),
            ("periodic_remove", "PeriodicRemove"),
            ("periodic_vacate", "PeriodicVacate"),
            ("on_exit_hold_reason", "OnExitHoldReason"),
            ("on_exit_hold_subcode", "OnExitHoldSubCode"),
        ):
            value = self.param(key, attr)
            if value:
                self.expr(attr, value, key, attr)
        leave = self.param("leave_in_queue", "LeaveJobInQueue")
        if leave:
            self.expr("LeaveJobInQueue", leave, "leave_in_queue")
        else:
            self.job.boolean("LeaveJobInQueue", False)

    def set_retries(self) -> None:
        erc = self.param("on_exit_remove", "OnExitRemove") or ""
        ehc = self.param("on_exit_hold", "OnExitHold") or ""
        enable = False
        retries: int | None = None
        success: int | None = None
        raw_retries = self.param("max_retries", "JobMaxRetries")
        if raw_retries is not None:
            retries = string_to_int(raw_retries)
            if retries is None:
                raise self.fail("max_retries is invalid, must eval to an integer", "max_retries")
            enable = True
        raw_success = self.param("success_exit_code", "JobSuccessExitCode")
        if raw_success is not None:
            success = string_to_int(raw_success)
            if success is None:
                raise self.fail("success_exit_code is invalid, must eval to an integer", "success_exit_code")
            enable = True
        until = self.param("retry_until") or ""
        if until:
            enable = True
        if not enable:
            if erc:
                self.expr("OnExitRemove", erc, "on_exit_remove")
            if ehc:
                self.expr("OnExitHold", ehc, "on_exit_hold")
            return
        if until:
            code = string_to_int(until) if re.fullmatch(r"\s*[-+]?\d+\s*", until) else None
            if code is not None:
                until = f"ExitCode =?= {code}"
            else:
                node = self.job.expr("_retry_until_check", until, self.where("retry_until"))
                self.job.delete("_retry_until_check")
                until = _wrap_for_or(until, node)
        if retries is None:
            retries = 2
        self.job.integer("JobMaxRetries", retries)
        if ehc:
            self.expr("OnExitHold", ehc, "on_exit_hold")
        else:
            self.job.boolean("OnExitHold", False)
        if success is not None:
            self.job.integer("JobSuccessExitCode", success)
            check = "JobSuccessExitCode"
        else:
            check = "0"
        if until:
            check += " || " + until
        text = "NumJobCompletions > JobMaxRetries || ExitCode =?= " + check
        if erc:
            node = self.job.expr("_on_exit_remove_check", erc, self.where("on_exit_remove"))
            self.job.delete("_on_exit_remove_check")
            text += " || " + _wrap_for_or(erc, node)
        self.expr("OnExitRemove", text, "on_exit_remove", "max_retries")

    def set_kill_sig(self) -> None:
        try:
            sig = _fix_signal(self.param("kill_sig", "KillSig"))
        except SubmitError as err:
            raise self.fail(err.reason, "kill_sig", "KillSig") from None
        if sig is None and self.universe != 5:
            sig = "SIGTERM"
        if sig is not None:
            self.job.string("KillSig", sig)
        for key, attr in (("remove_kill_sig", "RemoveKillSig"), ("hold_kill_sig", "HoldKillSig")):
            try:
                other = _fix_signal(self.param(key, attr))
            except SubmitError as err:
                raise self.fail(err.reason, key, attr) from None
            if other is not None:
                self.job.string(attr, other)
        timeout = self.param("kill_sig_timeout", "KillSigTimeout")
        if timeout is not None:
            m = re.match(r"\s*[-+]?\d+", timeout)
            self.job.integer("KillSigTimeout", int(m.group()) if m else 0)

    def set_deferral(self) -> None:
        when = self.param("deferral_time", "DeferralTime")
        if when is not None:
            self._non_negative("DeferralTime", when, "deferral_time")
        if not any(
            a in self.job
            for a in (
                "CronMinute",
                "CronHour",
                "CronDayOfMonth",
                "CronMonth",
                "CronDayOfWeek",
                "DeferralTime",
            )
        ):
            return
        window = self.param("cron_window", "CronWindow") or self.param("deferral_window", "DeferralWindow")
        if window is not None:
            self._non_negative("DeferralWindow", window, "deferral_window", "cron_window")
        else:
            self.job.integer("DeferralWindow", 0)
        prep = self.param("cron_prep_time", "CronPrepTime") or self.param(
            "deferral_prep_time", "DeferralPrepTime"
        )
        if prep is not None:
            self._non_negative("DeferralPrepTime", prep, "deferral_prep_time", "cron_prep_time")
        else:
            self.job.integer("DeferralPrepTime", 300)

    def _non_negative(self, attr: str, value: str, *keys: str) -> None:
        node = self.job.expr(attr, value, self.where(*keys))
        if isinstance(node, Literal):
            v = node.value
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise self.fail(f"{keys[0]} = {value} is invalid, must eval to a non-negative integer", *keys)
