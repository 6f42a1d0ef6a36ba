from __future__ import annotations

from pathlib import Path

import pytest

from stridescan.discovery import classify_name, discover, display_path
from stridescan.model import SourceKind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Dockerfile", SourceKind.DOCKERFILE),
        ("Dockerfile.prod", SourceKind.DOCKERFILE),
        ("api.Dockerfile", SourceKind.DOCKERFILE),
        ("api.dockerfile", SourceKind.DOCKERFILE),
        ("Containerfile", SourceKind.DOCKERFILE),
        ("compose.yaml", SourceKind.COMPOSE),
        ("compose.yml", SourceKind.COMPOSE),
        ("compose.prod.yaml", SourceKind.COMPOSE),
        ("docker-compose.yml", SourceKind.COMPOSE),
        ("docker-compose.override.yaml", SourceKind.COMPOSE),
        ("deploy.yaml", None),
        ("pod.json", None),
        ("Dockerfile.dockerignore", False),
        ("README.md", False),
        ("main.py", False),
    ],
)
def test_file_names_are_classified(name: str, kind: SourceKind | bool | None) -> None:
    assert classify_name(name) == kind


def make_tree(root: Path, files: list[str]) -> None:
    for relative in files:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x: 1\n", encoding="utf-8")


def displayed(root: Path, *paths: str, excludes: tuple[str, ...] = ()) -> list[str]:
    found = discover([str(root / p) for p in paths] or [str(root)], root=root, excludes=excludes)
    return [source.display for source in found.files]


def test_walk_finds_every_kind_in_a_stable_order(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        ["b/Dockerfile", "a/compose.yaml", "k8s/deploy.yaml", "k8s/list.json", "notes.txt"],
    )
    assert displayed(tmp_path) == [
        "a/compose.yaml",
        "b/Dockerfile",
        "k8s/deploy.yaml",
        "k8s/list.json",
    ]


def test_vendored_trees_and_virtualenvs_are_skipped(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        [
            ".git/compose.yaml",
            "node_modules/pkg/Dockerfile",
            "vendor/x/deploy.yaml",
            "env/pyvenv.cfg",
            "env/lib/Dockerfile",
            "chart/Chart.yaml",
            "chart/templates/deployment.yaml",
            "app/Dockerfile",
        ],
    )
    assert displayed(tmp_path) == ["app/Dockerfile", "chart/Chart.yaml"]


def test_exclude_globs_skip_files_and_directories(tmp_path: Path) -> None:
    make_tree(tmp_path, ["tests/compose.yaml", "app/Dockerfile", "app/old.Dockerfile"])
    assert displayed(tmp_path, excludes=("tests", "*.Dockerfile")) == ["app/Dockerfile"]
    assert displayed(tmp_path, excludes=("tests/**",)) == ["app/Dockerfile", "app/old.Dockerfile"]


def test_a_file_named_explicitly_is_scanned_whatever_its_name(tmp_path: Path) -> None:
    make_tree(tmp_path, ["manifests/app.txt"])
    found = discover([str(tmp_path / "manifests/app.txt")], root=tmp_path)
    assert [(s.display, s.kind, s.explicit) for s in found.files] == [
        ("manifests/app.txt", None, True)
    ]


def test_symbolic_links_are_not_followed_out_of_the_root(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    outside = tmp_path / "outside"
    make_tree(outside, ["Dockerfile"])
    make_tree(root, ["app/compose.yaml"])
    (root / "app" / "Dockerfile").symlink_to(outside / "Dockerfile")
    (root / "linked-dir").symlink_to(outside)
    assert displayed(root) == ["app/compose.yaml"]
    named = discover([str(root / "app" / "Dockerfile")], root=root)
    assert named.files == ()
    assert [p.message for p in named.problems] == [
        "symbolic link pointing outside the scan root; not followed"
    ]


def test_a_symbolic_link_loop_does_not_hang(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a/Dockerfile"])
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    assert displayed(tmp_path) == ["a/Dockerfile"]


def test_a_missing_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    found = discover([str(tmp_path / "nope")], root=tmp_path)
    assert found.files == ()
    assert [(p.path, p.message) for p in found.problems] == [("nope", "no such file or directory")]


def test_display_path_is_relative_to_the_root_and_leaves_outside_paths_as_given(
    tmp_path: Path,
) -> None:
    root = tmp_path / "repo"
    assert display_path(root / "deploy" / "app.yaml", root) == "deploy/app.yaml"
    assert display_path(root / "deploy" / ".." / "compose.yaml", root) == "compose.yaml"
    assert display_path(root, root) == "repo"
    # A sibling whose name starts with the root's is outside it.
    sibling = tmp_path / "repo-old" / "compose.yaml"
    assert display_path(sibling, root) == sibling.as_posix()
    assert display_path(Path("/"), Path("/")) == "."
    assert display_path(Path("/etc/hosts"), Path("/")) == "etc/hosts"
