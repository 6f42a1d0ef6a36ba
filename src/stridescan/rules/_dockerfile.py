"""Views of Dockerfile instructions shared by the Dockerfile rules: RUN scripts, COPY/ADD words.

Rules look at what a build would run: a RUN's command (shell or exec form, without its
`--mount`/`--network` flags) and its heredoc bodies, as one text.
"""

from __future__ import annotations

from stridescan import lazy_re
from stridescan._frozen import dataclass
from stridescan.model import Image, Instruction, Stage

# Text that shlex would split differently from str.split: quotes, escapes, and anything but
# printable ASCII, tabs and line breaks (str.split also breaks at other control characters).
_SHELL_SYNTAX = lazy_re.compile(r"[^\x20-\x7e\t\n\r]|['\"\\\\]")
_LEADING_FLAGS = lazy_re.compile(r"^(?:\s*--[a-zA-Z-]+(?:=(?:\"[^\"]*\"|'[^']*'|\S*))?)*\s*")


# Several rules walk the same views of one image, one rule after another (the engine runs
# every rule over one object before the next): each view is kept for the last image asked
# about, held so that no later object can share its identity.
_last_scripts: tuple[Image | None, tuple[tuple[Stage, Instruction, str], ...]] = (None, ())


def run_scripts(image: Image) -> tuple[tuple[Stage, Instruction, str], ...]:
    """(stage, RUN instruction, the script it runs) for every RUN of every stage."""
    global _last_scripts
    last, scripts = _last_scripts
    if last is not image:
        scripts = tuple(
            (stage, instruction, script_of(instruction))
            for stage in image.stages
            for instruction in stage.instructions
            if instruction.keyword == "RUN"
        )
        _last_scripts = (image, scripts)
    return scripts


def script_of(instruction: Instruction) -> str:
    """The command text of a RUN, flags removed, heredoc bodies appended."""
    if instruction.exec_form is not None:
        text = " ".join(instruction.exec_form)
    else:
        text = _LEADING_FLAGS.sub("", instruction.arguments, count=1)
    bodies = "".join("\n" + body for _, body in instruction.heredocs)
    return text + bodies


def final_chain(image: Image) -> list[Stage]:
    """The final stage and the earlier stages it is built on (`FROM base`), last first."""
    chain: list[Stage] = []
    stage = image.final_stage
    while stage is not None and len(chain) <= len(image.stages):
        chain.append(stage)
        stage = image.stages[stage.parent_stage] if stage.parent_stage is not None else None
    return chain


@dataclass(frozen=True, slots=True)
class Transfer:
    """The words of a COPY or ADD: its `--flag=value` options, sources and destination."""

    flags: dict[str, str]
    sources: tuple[str, ...]
    destination: str


_last_transfers: tuple[Image | None, tuple[tuple[Instruction, Transfer], ...]] = (None, ())


def transfers(image: Image) -> tuple[tuple[Instruction, Transfer], ...]:
    """Every COPY and ADD of every stage, in order, with its words; those `transfer_of`
    cannot split are left out."""
    global _last_transfers
    last, found = _last_transfers
    if last is not image:
        found = tuple(
            (instruction, transfer)
            for stage in image.stages
            for instruction in stage.instructions
            if (transfer := transfer_of(instruction)) is not None
        )
        _last_transfers = (image, found)
    return found


def transfer_of(instruction: Instruction) -> Transfer | None:
    """The parts of a COPY/ADD; None for other instructions or text that cannot be split."""
    if instruction.keyword not in ("COPY", "ADD"):
        return None
    arguments = instruction.arguments
    if _SHELL_SYNTAX.search(arguments) is None:  # the common case; shlex is slow
        words = arguments.split()
    else:
        import shlex  # only for quoted or escaped words

        try:
            words = shlex.split(arguments, posix=True)
        except ValueError:
            words = arguments.split()
    flags: dict[str, str] = {}
    while words and words[0].startswith("--"):
        name, _, value = words.pop(0)[2:].partition("=")
        flags[name.lower()] = value
    paths = list(instruction.exec_form) if instruction.exec_form is not None else words
    if instruction.exec_form is not None and paths and paths[0].startswith("--"):
        return None
    if len(paths) < 2:
        return None
    sources = tuple(source for source in paths[:-1] if not source.startswith("<<"))
    return Transfer(flags=flags, sources=sources, destination=paths[-1])
