"""Dockerfiles to the model: stages, instructions and variables, resolved the way Docker does.

dockerfile-parse splits instructions and joins continuation lines, but it reads heredoc bodies
as instructions, ends an instruction at an empty continuation line (Docker skips those), drops
an instruction cut off by the end of the file inside a continuation, and joins a continuation
in quadratic time. A first pass over the lines therefore finds what Docker reads as one
instruction, takes heredoc bodies out (leaving empty lines, so line numbers stay exact), and
hands the library only text it reads as Docker does: very long or oddly split continuations
are joined beforehand.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import field, replace

from dockerfile_parse import DockerfileParser

from stridescan._frozen import builder, dataclass
from stridescan.diagnostics import ParseError
from stridescan.imageref import parse_image_ref
from stridescan.model import Image, ImageRef, Instruction, Located, Location, Stage, Variable

_KEYWORDS = frozenset(
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
        "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
        "WORKDIR",
    }
)  # fmt: skip
_EXEC_FORMS = frozenset(("ADD", "CMD", "COPY", "ENTRYPOINT", "RUN", "SHELL", "VOLUME"))
_FLAGGED = frozenset(("ADD", "COPY", "RUN"))  # also the instructions that take heredocs
_DIRECTIVES = frozenset(("syntax", "escape", "check"))

# The library's joining costs (lines x bytes) per instruction; beyond this we join ourselves.
_LIBRARY_JOIN_LIMIT = 32
# A variable looked up through more parent stages than this is taken as unknown.
_INHERITED_STAGES = 64
_NESTING_LIMIT = 32

_DIRECTIVE = re.compile(r"#[ \t\f\r]*([a-zA-Z][a-zA-Z0-9]*)[ \t\f\r]*=(.*)", re.S)
_FIRST_WORD = re.compile(r"\s*(\S*)")
_FLAGS = re.compile(r"(?:--\S*\s+)*")
_HEREDOC = re.compile(r"[0-9]*<<(-?)([^<]*)\Z")
_NAME = re.compile(r"\d+|[*#@!?$-]|\w+")
_OPERATORS = frozenset((":-", "-", ":+", "+", ":?", "?", "#", "%", "/"))


def _shell_tokens(escape: str) -> re.Pattern[str]:
    """Whitespace, plain runs, escapes and quoted strings; every alternative is linear."""
    e = re.escape(escape)
    return re.compile(rf"""\s+|[^\s'"{e}]+|{e}[\s\S]?|'[^']*'?|"(?:[^"{e}]|{e}[\s\S])*"?""")


_TOKENS = {"\\": _shell_tokens("\\"), "`": _shell_tokens("`")}
_PLAIN = {"\\": re.compile(r"""[^'"$}\\]+"""), "`": re.compile(r"""[^'"$}`]+""")}
_PLAIN_QUOTED = {"\\": re.compile(r'[^"$\\]+'), "`": re.compile(r'[^"$`]+')}

_Lookup = Callable[[str], "str | None"]


def parse_dockerfile(text: str, path: str) -> Image:
    """Read one Dockerfile; input Docker would refuse is a ParseError at its line."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    escape = _read_directives(lines)
    scan = _scan(lines, escape)
    builder = _Builder(path, escape)
    for start, keyword, arguments in _library_instructions(scan.feed):
        logical = scan.logicals.get(start)
        if logical is not None:  # otherwise a comment
            builder.add(_instruction(path, lines, logical, keyword, arguments))
    stages, global_args = builder.finish()
    return Image(
        path=path, location=Location(path=path, line=1), stages=stages, global_args=global_args
    )


# Lines: directives, continuations, heredocs.


def _read_directives(lines: list[str]) -> str:
    """The escape character, from the parser directives at the top of the file."""
    escape = "\\"
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        match = _DIRECTIVE.match(line.lstrip())
        name = match.group(1).lower() if match else ""
        value = match.group(2).strip() if match else ""
        if name not in _DIRECTIVES or not value:
            break
        if name in seen:
            raise ParseError(
                f"the {name} parser directive is given twice", number, 1, hint="keep one"
            )
        seen.add(name)
        if name == "escape":
            if value not in ("\\", "`"):
                raise ParseError(
                    f"invalid escape directive {_short(value)!r}", number, 1, hint="use \\ or `"
                )
            escape = value
    return escape


@dataclass(frozen=True, slots=True)
class _Logical:
    """What Docker reads as one instruction: 0-based first and last line, heredoc bodies."""

    start: int
    end: int
    heredocs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _Joined:
    text: str  # the continuation lines joined, escape characters removed
    last: int  # the last line that contributed text
    next: int  # the first line after the instruction (its heredocs start there)
    cut_off: bool  # the file ended inside a continuation
    tail: str  # the last line that contributed, its escape character removed


# What the parser builds per line or instruction, built the fast way (see `_frozen.builder`).
_new_location = builder(Location)
_new_located = builder(Located)
_new_logical = builder(_Logical)
_new_joined = builder(_Joined)
_new_instruction = builder(Instruction)
_new_variable = builder(Variable)


@dataclass(frozen=True, slots=True)
class _Scan:
    feed: list[str]  # the text for the library, one entry per line of the file
    logicals: dict[int, _Logical]


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _first_word(text: str) -> str:
    match = _FIRST_WORD.match(text)
    return match.group(1) if match else ""


def _scan(lines: list[str], escape: str) -> _Scan:
    """Find the instructions and prepare the text the library reads.

    Comments become bare `#` lines, so the library sees no parser directive but ours.
    """
    feed = ["#" if _is_comment(line) else line for line in lines]
    if escape == "`":
        feed[0] = "# escape=`"
    logicals: dict[int, _Logical] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        if _is_comment(line) or not line.strip():
            index += 1
            continue
        logical, index = _read_logical(lines, index, escape, feed)
        if logical is not None:
            logicals[logical.start] = logical
    return _Scan(feed, logicals)


def _read_logical(
    lines: list[str], start: int, escape: str, feed: list[str]
) -> tuple[_Logical | None, int]:
    joined = _join(lines, start, escape, feed)
    keyword = _first_word(joined.text)
    if joined.cut_off:
        # The library would drop an instruction still continued at the end of the file.
        feed[joined.last] = joined.tail
        feed.append("")
    if not keyword:
        feed[start : joined.last + 1] = [""] * (joined.last + 1 - start)
        return None, joined.next
    if joined.last - start >= _LIBRARY_JOIN_LIMIT or _first_word(lines[start]) != keyword:
        feed[start : joined.last + 1] = [joined.text] + [""] * (joined.last - start)
    heredocs, end, after = _read_heredocs(lines, start, joined, feed)
    return _new_logical(start, end, heredocs), after


def _trim_continuation(line: str, escape: str) -> tuple[str, bool]:
    stripped = line.rstrip()
    if stripped.endswith(escape):
        return stripped[:-1], True
    return line, False


def _join(lines: list[str], start: int, escape: str, feed: list[str]) -> _Joined:
    """Join continuation lines as Docker does: comment and empty lines inside are skipped."""
    text, continued = _trim_continuation(lines[start].lstrip(), escape)
    parts = [text]
    last = index = start
    index += 1
    while continued and index < len(lines):
        line = lines[index]
        if not line.strip():
            feed[index] = "#"  # the library would end the instruction at an empty line
        elif not _is_comment(line):
            text, continued = _trim_continuation(line, escape)
            parts.append(text)
            last = index
        index += 1
    return _new_joined("".join(parts), last, index, continued, parts[-1])


def _read_heredocs(
    lines: list[str], start: int, joined: _Joined, feed: list[str]
) -> tuple[tuple[tuple[str, str], ...], int, int]:
    """The heredoc bodies after an instruction, blanked in `feed`; also the last line and next."""
    if "<<" not in joined.text or not _takes_heredocs(joined.text):
        return (), joined.last, joined.next
    bodies: list[tuple[str, str]] = []
    end, index = joined.last, joined.next
    for name, chomp in _heredoc_markers(joined.text):
        body, end = _read_heredoc(lines, index, name, chomp, feed, start)
        bodies.append((name, body))
        index = end + 1
    return tuple(bodies), end, index


def _takes_heredocs(text: str) -> bool:
    """RUN, COPY and ADD in shell form take heredocs, also after ONBUILD."""
    keyword, arguments = _split_keyword(text)
    if keyword == "ONBUILD":
        keyword, arguments = _split_keyword(arguments)
    return keyword in _FLAGGED and _exec_form(keyword, arguments) is None


def _split_keyword(text: str) -> tuple[str, str]:
    word = _first_word(text)
    return word.upper(), text.lstrip()[len(word) :].strip()


def _heredoc_markers(text: str) -> list[tuple[str, bool]]:
    """`<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF` words: (name, leading tabs stripped)."""
    markers: list[tuple[str, bool]] = []
    for word in _shell_words(text, "\\"):
        match = _HEREDOC.match(word)
        if match is None or not match.group(2):
            continue
        # Docker reads the name with variables left as written.
        name = _expand(match.group(2), "\\", lambda variable: "$" + variable)
        if name:
            markers.append((name, match.group(1) == "-"))
    return markers


def _read_heredoc(
    lines: list[str], index: int, name: str, chomp: bool, feed: list[str], start: int
) -> tuple[str, int]:
    body: list[str] = []
    for number in range(index, len(lines)):
        line = lines[number].lstrip("\t") if chomp else lines[number]
        feed[number] = ""
        if line == name:
            return "".join(body), number
        body.append(line + "\n")
    shown = _short(name)
    raise ParseError(
        f"unterminated heredoc <<{shown}: the file ends before a line {shown}",
        start + 1,
        1,
        hint=f"end the heredoc with a line holding only {shown}",
    )


def _library_instructions(feed: list[str]) -> list[tuple[int, str, str]]:
    """(0-based start line, upper-case keyword, arguments) of every line the library reads."""
    data = "\n".join(feed).encode("utf-8", "replace") + b"\n"
    try:
        structure = DockerfileParser(fileobj=io.BytesIO(data)).structure
        return [
            (int(item["startline"]), str(item["instruction"]), str(item["value"]).strip())
            for item in structure
        ]
    except Exception as error:
        raise ParseError(f"dockerfile-parse could not read the file: {error}") from None


def _instruction(
    path: str, lines: list[str], logical: _Logical, keyword: str, arguments: str
) -> Instruction:
    location = _new_location(
        path=path,
        line=logical.start + 1,
        column=1,
        end_line=logical.end + 1,
        end_column=len(lines[logical.end]) + 1,
    )
    if keyword not in _KEYWORDS:
        raise ParseError(
            f"unknown instruction {_short(keyword)}",
            location.line,
            1,
            hint="check the spelling, or whether the line before lacks its continuation",
        )
    return _new_instruction(
        keyword=keyword,
        arguments=arguments,
        location=location,
        heredocs=logical.heredocs,
        exec_form=_exec_form(keyword, arguments),
    )


def _exec_form(keyword: str, arguments: str) -> tuple[str, ...] | None:
    """The JSON array form; Docker runs anything else, even broken JSON, in shell form."""
    if keyword not in _EXEC_FORMS:
        return None
    if keyword in _FLAGGED:
        flags = _FLAGS.match(arguments)
        arguments = arguments[flags.end() :] if flags else arguments
    if not arguments.startswith("["):
        return None
    try:
        value = json.loads(arguments)
    except (ValueError, RecursionError):
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# Words and variable substitution.


def _shell_words(text: str, escape: str) -> Iterator[str]:
    """Split at unquoted whitespace, keeping quotes and escapes (Docker's parseWords)."""
    word: list[str] = []
    for match in _TOKENS[escape].finditer(text):
        piece = match.group()
        if piece[0].isspace():
            if word:
                yield "".join(word)
                word = []
        else:
            word.append(piece)
    if word:
        yield "".join(word)


def _expand(text: str, escape: str, lookup: _Lookup) -> str | None:
    """`text` as Docker reads one word; None when it depends on a variable we cannot know."""
    if not any(char in text for char in ("$", "'", '"', escape)):
        return text
    return _Expander(text, escape, lookup).word()


class _Unresolvable(Exception):
    """Substitution syntax Docker rejects, or that is not modelled."""


class _Expander:
    """Docker's processing of a word: quotes removed, escapes applied, variables replaced.

    A part that reads an unknown variable makes the word unknown, unless the part is
    discarded, as in `${SET:-$UNKNOWN}`.
    """

    def __init__(self, text: str, escape: str, lookup: _Lookup) -> None:
        self._text = text
        self._pos = 0
        self._escape = escape
        self._lookup = lookup

    def word(self) -> str | None:
        try:
            value, known = self._until(None, 0)
        except _Unresolvable:
            return None
        return value if known else None

    def _until(self, stop: str | None, depth: int) -> tuple[str, bool]:
        if depth > _NESTING_LIMIT:
            raise _Unresolvable
        text = self._text
        parts: list[str] = []
        known = True
        while self._pos < len(text):
            char = text[self._pos]
            if char == stop:
                self._pos += 1
                return "".join(parts), known
            if char == self._escape:
                parts.append(text[self._pos + 1 : self._pos + 2])
                self._pos += 2
                continue
            if char == "'":
                part, part_known = self._single_quoted(), True
            elif char == '"':
                part, part_known = self._double_quoted(depth)
            elif char == "$":
                part, part_known = self._dollar(depth)
            else:
                part, part_known = self._plain(_PLAIN[self._escape]), True
            parts.append(part)
            known = known and part_known
        if stop is not None:
            raise _Unresolvable
        return "".join(parts), known

    def _plain(self, pattern: re.Pattern[str]) -> str:
        match = pattern.match(self._text, self._pos)
        end = match.end() if match else self._pos + 1
        part = self._text[self._pos : end]
        self._pos = end
        return part

    def _single_quoted(self) -> str:
        end = self._text.find("'", self._pos + 1)
        if end < 0:
            raise _Unresolvable
        part = self._text[self._pos + 1 : end]
        self._pos = end + 1
        return part

    def _double_quoted(self, depth: int) -> tuple[str, bool]:
        text = self._text
        self._pos += 1
        parts: list[str] = []
        known = True
        while self._pos < len(text):
            char = text[self._pos]
            if char == '"':
                self._pos += 1
                return "".join(parts), known
            if char == "$":
                part, part_known = self._dollar(depth)
                parts.append(part)
                known = known and part_known
            elif char == self._escape:
                following = text[self._pos + 1 : self._pos + 2]
                escapes = following in ('"', "$", self._escape)
                parts.append(following if escapes else char)
                self._pos += 2 if escapes else 1
            else:
                parts.append(self._plain(_PLAIN_QUOTED[self._escape]))
        raise _Unresolvable

    def _name(self) -> str:
        match = _NAME.match(self._text, self._pos)
        if match is None:
            return ""
        self._pos = match.end()
        return match.group()

    def _dollar(self, depth: int) -> tuple[str, bool]:
        self._pos += 1
        if self._text.startswith("{", self._pos):
            self._pos += 1
            return self._braced(depth)
        name = self._name()
        if not name:
            return "$", True
        value = self._lookup(name)
        return (value, True) if value is not None else ("", False)

    def _braced(self, depth: int) -> tuple[str, bool]:
        name = self._name()
        if not name:
            raise _Unresolvable
        value = self._lookup(name)
        if self._text.startswith("}", self._pos):
            self._pos += 1
            return (value, True) if value is not None else ("", False)
        operator = self._text[self._pos : self._pos + 1]
        if operator == ":":
            operator = self._text[self._pos : self._pos + 2]
        if operator not in _OPERATORS:
            raise _Unresolvable
        self._pos += len(operator) if operator[0] == ":" else 1
        if operator in ("#", "%", "/"):  # pattern removal/replacement: not modelled
            self._until("}", depth + 1)
            return "", False
        word, word_known = self._until("}", depth + 1)
        return _substitute(operator, value, word, word_known)


def _substitute(operator: str, value: str | None, word: str, known: bool) -> tuple[str, bool]:
    """`${NAME<operator>word}` once NAME's value is looked up (None: unknown)."""
    if value is None:
        return "", False
    if operator == ":-" and not value:
        return word, known
    if operator == ":+":
        return (word, known) if value else ("", True)
    if operator == "+":
        return word, known
    if operator == ":?" and not value:
        raise _Unresolvable
    return value, True


# Stages.


class _EnvScope:
    """The ENV values a stage reads: its own, then those of the stages it is built on."""

    def __init__(self, parent: _EnvScope | None) -> None:
        self.values: dict[str, str | None] = {}
        self.parent = parent

    def get(self, name: str) -> tuple[bool, str | None]:
        scope: _EnvScope | None = self
        for _ in range(_INHERITED_STAGES):
            if scope is None:
                return False, None
            if name in scope.values:
                return True, scope.values[name]
            scope = scope.parent
        return scope is not None, None


@dataclass
class _Draft:
    """A stage while its instructions are read."""

    index: int
    name: str | None
    base: Located[ImageRef]
    parent: int | None
    location: Location
    env_scope: _EnvScope
    arg_values: dict[str, str | None] = field(default_factory=dict)
    instructions: list[Instruction] = field(default_factory=list)
    env: list[Variable] = field(default_factory=list)
    args: list[Variable] = field(default_factory=list)
    ports: list[Located[str]] = field(default_factory=list)
    user: Located[str | None] | None = None
    healthcheck: Located[str | None] | None = None

    def lookup(self, name: str) -> str | None:
        """ENV wins over ARG, as in Docker; None when the value cannot be known."""
        found, value = self.env_scope.get(name)
        return value if found else self.arg_values.get(name)


class _Builder:
    """Folds instructions into stages, tracking variables as a build would."""

    def __init__(self, path: str, escape: str) -> None:
        self.path = path
        self.escape = escape
        self.global_args: list[Variable] = []
        self.global_values: dict[str, str | None] = {}
        self.global_shown: dict[str, str | None] = {}
        self.stages: list[Stage] = []
        self.scopes: list[_EnvScope] = []
        self.names: dict[str, int] = {}
        self.draft: _Draft | None = None
        self.first: Instruction | None = None

    def add(self, instruction: Instruction) -> None:
        self.first = self.first or instruction
        keyword = instruction.keyword
        if keyword == "FROM":
            self._close()
            self.draft = self._open(instruction)
        elif self.draft is None:
            if keyword != "ARG":
                raise ParseError(
                    f"{keyword} before the first FROM: only ARG may come before FROM",
                    instruction.location.line,
                    1,
                    hint="start the build stage with FROM <image>",
                )
            self._global_arg(instruction)
        else:
            self.draft.instructions.append(instruction)
            self._apply(self.draft, instruction)

    def finish(self) -> tuple[tuple[Stage, ...], tuple[Variable, ...]]:
        self._close()
        if self.first is not None and not self.stages:
            raise ParseError(
                "no FROM instruction: there is no build stage",
                self.first.location.line,
                1,
                hint="a Dockerfile must start a build stage with FROM <image>",
            )
        return tuple(self.stages), tuple(self.global_args)

    def _expand(self, text: str, lookup: _Lookup) -> str | None:
        return _expand(text, self.escape, lookup)

    def _global_arg(self, instruction: Instruction) -> None:
        entries = self._arg_entries(instruction, self.global_values.get)
        for name, resolved, shown in entries:
            self.global_values[name] = resolved
            self.global_shown[name] = shown
            self.global_args.append(
                _new_variable(name=name, value=shown, location=instruction.location)
            )

    def _arg_entries(
        self, instruction: Instruction, lookup: _Lookup
    ) -> list[tuple[str, str | None, str | None]]:
        """(name, value if known, value to show) of each `NAME[=default]`."""
        words = list(_shell_words(instruction.arguments, self.escape))
        if not words:
            raise ParseError("ARG needs a name", instruction.location.line, 1)
        entries: list[tuple[str, str | None, str | None]] = []
        for word in words:
            name, equals, raw = word.partition("=")
            if not name:
                raise ParseError("ARG with an empty name", instruction.location.line, 1)
            if equals:
                resolved = self._expand(raw, lookup)
                entries.append((name, resolved, raw if resolved is None else resolved))
            else:
                entries.append((name, self.global_values.get(name), self.global_shown.get(name)))
        return entries

    def _open(self, instruction: Instruction) -> _Draft:
        image, name = _from_words(instruction)
        resolved = self._expand(image, self.global_values.get)
        if resolved:
            base = parse_image_ref(resolved)
        else:
            base = replace(parse_image_ref(image), resolved=False)
        parent = self._stage_named(resolved) if resolved else None
        index = len(self.stages)
        if name is not None:
            if name.lower() in self.names:
                raise ParseError(
                    f"stage name {_short(name)!r} is used twice",
                    instruction.location.line,
                    1,
                    hint="give each stage its own name",
                )
            self.names[name.lower()] = index
        inherited = self.scopes[parent] if parent is not None else None
        return _Draft(
            index=index,
            name=name,
            base=_new_located(base, instruction.location),
            parent=parent,
            location=instruction.location,
            env_scope=_EnvScope(inherited),
        )

    def _stage_named(self, text: str) -> int | None:
        index = self.names.get(text.lower())
        if index is not None:
            return index
        if text.isascii() and text.isdigit() and len(text) < 10 and int(text) < len(self.stages):
            return int(text)
        return None

    def _close(self) -> None:
        draft = self.draft
        if draft is None:
            return
        parent = self.stages[draft.parent] if draft.parent is not None else None
        absent: Located[str | None] = _new_located(None, draft.location)
        self.stages.append(
            Stage(
                index=draft.index,
                name=draft.name,
                base=draft.base,
                parent_stage=draft.parent,
                location=draft.location,
                instructions=tuple(draft.instructions),
                user=_in_force(draft.user, parent.user if parent else None, absent),
                healthcheck=_in_force(
                    draft.healthcheck, parent.healthcheck if parent else None, absent
                ),
                env=tuple(draft.env),
                args=tuple(draft.args),
                exposed_ports=tuple(draft.ports),
            )
        )
        self.scopes.append(draft.env_scope)
        self.draft = None

    def _apply(self, draft: _Draft, instruction: Instruction) -> None:
        keyword = instruction.keyword
        if keyword == "ARG":
            for name, resolved, shown in self._arg_entries(instruction, draft.lookup):
                draft.arg_values[name] = resolved
                draft.args.append(
                    _new_variable(name=name, value=shown, location=instruction.location)
                )
        elif keyword == "ENV":
            self._env(draft, instruction)
        elif keyword == "USER":
            draft.user = self._user(draft, instruction)
        elif keyword == "HEALTHCHECK":
            draft.healthcheck = _new_located(instruction.arguments, instruction.location)
        elif keyword == "EXPOSE":
            draft.ports.extend(self._ports(draft, instruction))

    def _env(self, draft: _Draft, instruction: Instruction) -> None:
        # All values of one ENV read the variables as they were before it, as in Docker.
        pairs = [
            (name, raw, self._expand(raw, draft.lookup))
            for name, raw in _env_pairs(instruction, self.escape)
        ]
        for name, raw, resolved in pairs:
            draft.env_scope.values[name] = resolved
            shown = raw if resolved is None else resolved
            draft.env.append(_new_variable(name=name, value=shown, location=instruction.location))

    def _user(self, draft: _Draft, instruction: Instruction) -> Located[str | None]:
        text = instruction.arguments
        if not text:
            raise ParseError(
                "USER needs a user name",
                instruction.location.line,
                1,
                hint="USER name[:group] or USER uid[:gid]",
            )
        value = self._expand(text, draft.lookup)
        if value is None:
            return _new_located(text, instruction.location, unresolved=text)
        return _new_located(value, instruction.location)

    def _ports(self, draft: _Draft, instruction: Instruction) -> Iterator[Located[str]]:
        for token in instruction.arguments.split():
            value = self._expand(token, draft.lookup)
            if value is None:
                yield _new_located(token, instruction.location, unresolved=token)
            else:
                for port in value.split():
                    yield _new_located(port, instruction.location)


def _in_force(
    own: Located[str | None] | None,
    inherited: Located[str | None] | None,
    absent: Located[str | None],
) -> Located[str | None]:
    if own is not None:
        return own
    if inherited is not None and inherited.is_set:
        return inherited
    return absent


def _from_words(instruction: Instruction) -> tuple[str, str | None]:
    """`FROM [--platform=...] image [AS name]` as (image, name)."""
    arguments = instruction.arguments
    flags = _FLAGS.match(arguments)
    words = arguments[flags.end() if flags else 0 :].split()
    if len(words) == 1:
        return words[0], None
    if len(words) == 3 and words[1].lower() == "as":
        return words[0], words[2]
    raise ParseError(
        "FROM takes an image and an optional AS name" if words else "FROM needs an image",
        instruction.location.line,
        1,
        hint="FROM [--platform=...] image[:tag] [AS name]",
    )


def _env_pairs(instruction: Instruction, escape: str) -> list[tuple[str, str]]:
    """`ENV A=1 B="two words"` or the legacy `ENV A 1`, as (name, raw value)."""
    line = instruction.location.line
    words = list(_shell_words(instruction.arguments, escape))
    if not words:
        raise ParseError("ENV needs NAME=value", line, 1)
    if "=" not in words[0]:
        parts = instruction.arguments.split(None, 1)
        if len(parts) < 2:
            raise ParseError(
                f"ENV {_short(parts[0])} has no value", line, 1, hint="write ENV NAME=value"
            )
        return [(parts[0], parts[1])]
    pairs: list[tuple[str, str]] = []
    for word in words:
        name, equals, raw = word.partition("=")
        if not equals:
            raise ParseError(
                f"ENV entry {_short(word)!r} has no '='", line, 1, hint="write ENV NAME=value"
            )
        if not name:
            raise ParseError("ENV entry with an empty name", line, 1)
        pairs.append((name, raw))
    return pairs
