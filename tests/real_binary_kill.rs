//! No edit is lost when the real app is killed: the `planalign` binary runs its window under
//! Xvfb, driven by commands on standard input (`gui --commands-stdin`), acknowledging each on
//! standard output once it is applied; the test kills it with SIGKILL at random moments,
//! restarts on the session, and checks that every acknowledged edit is there.
//!
//! Needs an X display: `Xvfb` on the path (`.ci/run` installs it) or `DISPLAY` set.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use planalign::app::{Command, GuiOptions, Lang, PlanAlignApp, Side, Start};

/// An X display for the app's window: a private Xvfb, or the one in `DISPLAY`.
struct Display {
    name: String,
    server: Option<Child>,
}

impl Display {
    fn open() -> Self {
        let xvfb_on_path = std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("Xvfb").is_file()));
        if !xvfb_on_path {
            let name = std::env::var("DISPLAY")
                .expect("this test needs Xvfb on the path or DISPLAY set (apt-get install xvfb)");
            return Self { name, server: None };
        }
        // A display number nobody holds.
        let number = (200..300)
            .find(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists())
            .expect("a free X display number");
        let name = format!(":{number}");
        let server = std::process::Command::new("Xvfb")
            .args([
                name.as_str(),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        for _ in 0..100 {
            if Path::new(&format!("/tmp/.X11-unix/X{number}")).exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            name,
            server: Some(server),
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        if let Some(server) = &mut self.server {
            let _ = server.kill();
            let _ = server.wait();
        }
    }
}

/// The note of edit `n` of round `round`.
fn note(round: u32, n: usize) -> String {
    format!("round {round} edit {n} 第{n}条「引号」")
}

fn options(dir: &Path) -> GuiOptions {
    GuiOptions {
        session_dir: Some(dir.to_path_buf()),
        ..GuiOptions::default()
    }
}

/// The app restarted on the session, in this process.
fn restarted(dir: &Path) -> PlanAlignApp {
    PlanAlignApp::open(Start::Session, Lang::En, &options(dir))
}

fn spawn_app(display: &Display, home: &Path) -> Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_planalign"))
        .args(["gui", "--commands-stdin", "--size", "1024x700"])
        .env("DISPLAY", &display.name)
        .env("PLANALIGN_HOME", home)
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the planalign binary starts")
}

#[test]
fn the_real_app_keeps_every_acknowledged_edit_through_sigkill() {
    let display = Display::open();
    let home: PathBuf =
        std::env::temp_dir().join(format!("planalign-real-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    let mut seed: u64 = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0x9E37_79B9_7F4A_7C15, |d| {
            u64::from(d.subsec_nanos()) ^ d.as_secs()
        })
        | 1;
    let mut total = 0;
    for round in 0..4_u32 {
        // The pair the app will show, read from the session as it stands.
        let (left_ids, right_ids) = {
            let app = restarted(&home);
            let ids = |side: Side| -> Vec<String> {
                let plan = app.state.plan(side).unwrap();
                plan.measures.iter().map(|m| m.id.clone()).collect()
            };
            (ids(Side::Left), ids(Side::Right))
        };
        let links: Vec<(String, String)> = left_ids
            .iter()
            .flat_map(|l| right_ids.iter().map(move |r| (l.clone(), r.clone())))
            .take(200)
            .collect();

        let mut child = spawn_app(&display, &home);
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("applied ") {
                    if sender.send(n.parse::<usize>().unwrap()).is_err() {
                        break;
                    }
                }
            }
        });
        // Edits are sent a few milliseconds apart, as fast as a busy analyst (or faster).
        let mut stdin = child.stdin.take().unwrap();
        let commands: Vec<String> = links
            .iter()
            .enumerate()
            .map(|(n, (left_id, right_id))| {
                serde_json::to_string(&Command::SetNote {
                    left_id: left_id.clone(),
                    right_id: right_id.clone(),
                    note: note(round, n),
                })
                .unwrap()
            })
            .collect();
        std::thread::spawn(move || {
            for line in commands {
                if writeln!(stdin, "{line}")
                    .and_then(|()| stdin.flush())
                    .is_err()
                {
                    break;
                }
                std::thread::sleep(Duration::from_millis(4));
            }
            // Keep standard input open: the app waits for more.
            std::thread::sleep(Duration::from_secs(120));
        });

        let first = receiver
            .recv_timeout(Duration::from_secs(120))
            .expect("the app applies the first edit");
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(seed % 700));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let mut applied = vec![first];
        applied.extend(receiver.try_iter());

        let app = restarted(&home);
        let decisions = &app.state.doc.edits.decisions;
        for &line in &applied {
            // Line N carries edit N - 1.
            let n = line - 1;
            let (left_id, right_id) = &links[n];
            let found = decisions
                .iter()
                .find(|d| &d.left.measure_id == left_id && &d.right.measure_id == right_id)
                .unwrap_or_else(|| panic!("round {round}: acknowledged edit {n} lost"));
            assert_eq!(found.note, note(round, n), "round {round}: edit {n}");
        }
        total += applied.len();
    }
    assert!(total >= 4, "every round made edits");
    std::fs::remove_dir_all(&home).unwrap();
}
