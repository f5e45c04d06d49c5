"""Translation steps for sizes and file transfer, as condor_submit 24.12 writes them.

``ExecutableSize``/``ImageSize`` from the executable's size, ``DiskUsage`` and
``TransferInputSizeMB`` from the input files', ``ShouldTransferFiles``/``WhenToTransferOutput``
with condor's defaults and its refusals of contradictory settings, ``TransferInput``/
``TransferOutput`` lists, ``FileSystemDomain`` when the job may use a shared file system, the
container image as an input file.  File sizes come from the :class:`~classad.submit.Machine`.
"""

from __future__ import annotations

import os

from classad.submit.steps import StepBase, _is_url, _strip_quotes
from classad.submit.values import parse_bytes

__all__ = ["TransferSteps"]


class TransferSteps(StepBase):
    """Sizes and file transfer."""

    def set_image_size(self) -> None:
        cmd = self.job.get_string("Cmd") or ""
        size = 0
        if cmd and not (self.universe == 9 and self.grid_type in ("ec2", "gce", "azure")):
            size = self.spec.machine.size_kb(cmd, self.spec.machine.working_dir())
        self.job.integer("ExecutableSize", size)
        given = self.param("image_size", "ImageSize")
        if given:
            got = parse_bytes(given, 1024)
            if got is None:
                raise self.fail(f"'{given}' is not valid for Image Size", "image_size")
            if got[0] < 1:
                raise self.fail("Image Size must be positive", "image_size")
            self.job.integer("ImageSize", got[0])
        elif "ImageSize" not in self.job:
            self.job.integer("ImageSize", size)

    def set_transfer(self) -> None:
        j = self.job
        machine = self.spec.machine
        inputs: list[str] = []
        in_specified = False
        size_kb = 0
        raw_in = self.param("transfer_input_files", "TransferInput")
        if raw_in is None:
            raw_in = self.param("TransferInputFiles")
        if raw_in is not None:
            inputs = [x.strip() for x in _strip_quotes(raw_in).split(",") if x.strip()]
        for f in inputs:
            in_specified = True
            size_kb += 0 if _is_url(f) else machine.size_kb(f, self.iwd)
        if self.container:
            added = self._container_inputs(inputs)
            if added is not None:
                in_specified = True
                size_kb += added
        if j.get_bool("TransferIn") is not False:
            stdin = j.get_string("In") or ""
            if stdin:
                size_kb += machine.size_kb(stdin, self.iwd)
        outputs: list[str] | None = None
        raw_out = self.param("transfer_output_files", "TransferOutput")
        if raw_out is None:
            raw_out = self.param("TransferOutputFiles")
        if raw_out is not None:
            outputs = [x.strip() for x in _strip_quotes(raw_out).split(",") if x.strip()]
        should_raw = self.param("ShouldTransferFiles", "should_transfer_files")
        default_should = should_raw is None
        should = (should_raw or "IF_NEEDED").upper()
        codes = {"YES": "YES", "NO": "NO", "IF_NEEDED": "IF_NEEDED", "TRUE": "YES", "FALSE": "NO"}
        if should not in codes:
            raise self.fail(
                f"invalid value ({should_raw}) for ShouldTransferFiles.  "
                "Please either specify YES, NO, or IF_NEEDED",
                "should_transfer_files",
                "ShouldTransferFiles",
            )
        should = codes[should]
        if should == "NO" and (in_specified or outputs is not None):
            which = []
            if in_specified:
                which.append("transfer_input_files")
            if outputs is not None:
                which.append("transfer_output_files")
            raise self.fail(
                f"you specified files you want Condor to transfer via {' and '.join(which)}, "
                "but you disabled should_transfer_files",
                "should_transfer_files",
            )
        when_raw = self.param("WhenToTransferOutput", "when_to_transfer_output")
        default_when = when_raw is None
        when = (when_raw or "ON_EXIT").upper()
        when_codes = {
            "ON_EXIT": "ON_EXIT",
            "ON_EXIT_OR_EVICT": "ON_EXIT_OR_EVICT",
            "NEVER": "NEVER",
            "ON_SUCCESS": "ON_SUCCESS",
        }
        if when not in when_codes:
            raise self.fail(
                f"invalid value ({when_raw}) for WhenToTransferOutput.  "
                "Please either specify ON_EXIT, or ON_EXIT_OR_EVICT",
                "when_to_transfer_output",
                "WhenToTransferOutput",
            )
        if not default_should and default_when and should == "NO":
            when = "NEVER"
        if (should == "NO" and when != "NEVER") or (should != "NO" and when == "NEVER"):
            raise self.fail(
                f"WhenToTransferOutput specified as {when} yet ShouldTransferFiles defined as {should}.  "
                "Please remove this contradiction from your submit file",
                "when_to_transfer_output",
                "should_transfer_files",
            )
        if default_should and when == "ON_EXIT_OR_EVICT" and should == "IF_NEEDED":
            should = "YES"
        if when == "ON_EXIT_OR_EVICT" and should == "IF_NEEDED":
            raise self.fail(
                '"when_to_transfer_output = ON_EXIT_OR_EVICT" and '
                '"should_transfer_files = IF_NEEDED" are incompatible',
                "when_to_transfer_output",
            )
        j.string("ShouldTransferFiles", should)
        if should != "NO":
            j.string("WhenToTransferOutput", when)
        if should != "YES" and "FileSystemDomain" not in j and machine.file_system_domain:
            j.string("FileSystemDomain", machine.file_system_domain)
        if self.universe == 10 and should != "NO":
            cmd = j.get_string("Cmd") or ""
            if cmd and cmd != "java" and cmd not in inputs:
                inputs.append(cmd)
                size_kb += machine.size_kb(cmd, self.iwd)
            jars = j.get_string("JarFiles")
            if jars:
                for jar in (x.strip() for x in jars.split(",")):
                    if jar:
                        inputs.append(jar)
                        size_kb += machine.size_kb(jar, self.iwd)
            j.string("Cmd", "java")
            j.boolean("TransferExecutable", False)
        disk_usage = self.param("disk_usage", "DiskUsage")
        exe_kb = j.literal("ExecutableSize") or 0
        if disk_usage:
            got = parse_bytes(disk_usage, 1024)
            if got is None or got[0] < 1:
                raise self.fail(f"'{disk_usage}' is not valid for disk_usage. It must be >= 1", "disk_usage")
            j.integer("DiskUsage", got[0])
        else:
            j.integer("TransferInputSizeMB", (exe_kb + size_kb) // 1024)
            j.integer("DiskUsage", exe_kb + size_kb)
        if should != "NO":
            if in_specified:
                j.string("TransferInput", ",".join(inputs))
            if outputs is not None:
                j.string("TransferOutput", ",".join(outputs))
        if should == "NO" and self.universe not in (9, 10, 13):
            if self.bool_param("transfer_executable", "TransferExecutable", False):
                raise self.fail(
                    "You explicitly requested that the executable be transfered, "
                    "but for this to work, you must "
                    "enable Condor's file transfer functionality",
                    "transfer_executable",
                )
        remaps = self.param("transfer_output_remaps", "TransferOutputRemaps")
        if remaps:
            j.string("TransferOutputRemaps", _strip_quotes(remaps))

    def _container_inputs(self, inputs: list[str]) -> int | None:
        """Add a transferable container image to the inputs; its size, or None."""
        j = self.job
        image = self.param("container_image", "ContainerImage")
        if j.get_bool("TransferContainer") is False:
            j.string("ContainerImageSource", "local")
            return None
        if not image:
            return None
        image = _strip_quotes(image)
        if image.startswith("/cvmfs"):
            j.string("ContainerImageSource", "local")
            return None
        for prefix in ("docker://", "oras://"):
            if image.startswith(prefix):
                j.string("ContainerImageSource", prefix[:-3])
                return None
        inputs.append(image)
        size = self.spec.machine.size_kb(image, self.iwd)
        trimmed = image[:-1] if image.endswith("/") else image
        j.string("ContainerImage", os.path.basename(trimmed))
        j.string("ContainerImageFullPath", image)
        colon = trimmed.find(":")
        j.string("ContainerImageSource", "cedar" if colon < 0 else trimmed[:colon])
        return size
