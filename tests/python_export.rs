#![cfg(not(target_arch = "wasm32"))]
//! The Python export of every built-in example, held to a reviewed snapshot
//! in `tests/snapshots/python/<example>.py` (script style). After a deliberate
//! change, `UPDATE_SNAPSHOTS=1 cargo test --test python_export` rewrites them;
//! review the diff.

use async_playground::examples::EXAMPLES;
use async_playground::lang::{self, PythonStyle};

#[test]
fn every_example_matches_its_snapshot() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/python");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for example in EXAMPLES {
        let program = lang::parse(example.text).expect("examples parse");
        let python = lang::to_python(&program, PythonStyle::Script);
        let path = format!("{dir}/{}.py", example.name);
        if update {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(&path, &python).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(python.as_str()) {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "export differs from the snapshot (UPDATE_SNAPSHOTS=1 to accept): {stale:?}"
    );
}

#[test]
fn notebook_style_awaits_main_and_says_why() {
    let program = lang::parse(EXAMPLES[1].text).unwrap();
    let notebook = lang::to_python(&program, PythonStyle::Notebook);
    assert!(notebook.ends_with("await main()\n"));
    assert!(notebook.contains("cannot be called from a running event loop"));
    assert!(!notebook.contains("asyncio.run(main())\n"));
}

#[test]
fn exports_are_valid_python() {
    // CPython compiles every example's export (top-level await allowed for
    // the notebook style, as Jupyter does).
    let mut sources = String::new();
    for example in EXAMPLES {
        let program = lang::parse(example.text).unwrap();
        for style in [PythonStyle::Script, PythonStyle::Notebook] {
            sources.push_str(&lang::to_python(&program, style));
            sources.push('\0');
        }
    }
    let check = r#"
import ast, sys
for source in sys.stdin.read().split("\0"):
    if source:
        compile(source, "<export>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
print("ok")
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", check])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(sources.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");
}
