//! No edit is lost to SIGKILL: a child process runs the app (the same `PlanAlignApp::apply` the
//! window calls each frame, with a session folder), applies edits one by one and reports each
//! after `apply` returns; the parent kills it with SIGKILL at random moments, restarts the app on
//! the session, and checks that every reported edit is there. Also: a start that does not
//! restore the session keeps its unsaved work in a file first.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use std::io::{BufRead as _, Write as _};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use planalign::app::{Command, GuiOptions, Lang, PlanAlignApp, Side, Start};
use planalign::library::bundled_entries;

const CHILD_ENV: &str = "PLANALIGN_JOURNAL_CHILD_DIR";
const ROUND_ENV: &str = "PLANALIGN_JOURNAL_CHILD_ROUND";

fn options(dir: &Path) -> GuiOptions {
    GuiOptions {
        session_dir: Some(dir.to_path_buf()),
        ..GuiOptions::default()
    }
}

/// The note of edit `n` of round `round`.
fn note(round: u32, n: usize) -> String {
    format!("round {round} edit {n} 第{n}条")
}

/// The child: restores the session, then sets a note on link after link (each a new decision)
/// until killed, printing `applied N` once each edit's `apply` has returned.
#[test]
#[ignore = "run by edits_survive_sigkill_at_random_moments"]
fn child_edits_until_killed() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let round: u32 = std::env::var(ROUND_ENV).unwrap().parse().unwrap();
    let mut app = PlanAlignApp::open(Start::Session, Lang::En, &options(Path::new(&dir)));
    let left = app.state.plan(Side::Left).unwrap().clone();
    let right = app.state.plan(Side::Right).unwrap().clone();
    let mut stdout = std::io::stdout();
    let mut n = 0;
    for lhs in &left.measures {
        for rhs in &right.measures {
            app.apply(
                vec![Command::SetNote {
                    left_id: lhs.id.clone(),
                    right_id: rhs.id.clone(),
                    note: note(round, n),
                }],
                None,
            );
            writeln!(stdout, "applied {n} {} {}", lhs.id, rhs.id).unwrap();
            stdout.flush().unwrap();
            n += 1;
            // The autosave runs now and then, as it does in the window.
            if n % 7 == 0 {
                app.save_session();
            }
        }
    }
    std::thread::sleep(Duration::from_secs(60));
}

#[test]
fn edits_survive_sigkill_at_random_moments() {
    let dir = std::env::temp_dir().join(format!("planalign-journal-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let exe = std::env::current_exe().unwrap();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut total_checked = 0;
    for round in 0..6_u32 {
        let mut child = std::process::Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "journal_kill::child_edits_until_killed",
                "--nocapture",
            ])
            .env(CHILD_ENV, &dir)
            .env(ROUND_ENV, round.to_string())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.strip_prefix("applied ") {
                    let parts: Vec<String> = rest.split(' ').map(str::to_owned).collect();
                    if sender.send(parts).is_err() {
                        break;
                    }
                }
            }
        });
        // Wait for the first edit, then kill at a random moment a little later.
        let mut applied: Vec<Vec<String>> =
            vec![receiver.recv_timeout(Duration::from_secs(120)).unwrap()];
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(seed % 400));
        child.kill().unwrap();
        child.wait().unwrap();
        applied.extend(receiver.try_iter());
        // Whatever the reader thread still had in the pipe was applied too.
        std::thread::sleep(Duration::from_millis(100));
        applied.extend(receiver.try_iter());

        let app = PlanAlignApp::open(Start::Session, Lang::En, &options(&dir));
        let decisions = &app.state.doc.edits.decisions;
        for parts in &applied {
            let (n, left_id, right_id) = (&parts[0], &parts[1], &parts[2]);
            let n: usize = n.parse().unwrap();
            let found = decisions
                .iter()
                .find(|d| &d.left.measure_id == left_id && &d.right.measure_id == right_id)
                .unwrap_or_else(|| panic!("round {round}: edit {n} lost"));
            assert_eq!(found.note, note(round, n), "round {round}: edit {n}");
        }
        assert!(app.state.doc.dirty, "recovered work is marked unsaved");
        total_checked += applied.len();
        drop(app);
    }
    assert!(total_checked > 6, "the children made edits");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_new_start_keeps_the_unsaved_work_of_the_last_session() {
    let dir = std::env::temp_dir().join(format!("planalign-keep-session-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut app = PlanAlignApp::open(Start::Plans(bundled_entries()), Lang::En, &options(&dir));
    app.apply(
        vec![
            Command::AddManualLink {
                left_id: "m1".to_owned(),
                right_id: "m3".to_owned(),
            },
            Command::ToggleTheme {
                side: Side::Left,
                measure_id: "m2".to_owned(),
                theme_id: "environment.ecology".to_owned(),
            },
        ],
        None,
    );
    let work = app.state.doc.edits.clone();
    // Killed before any autosave: only the journal has the work.
    drop(app);

    // `planalign gui other-plan.txt`: a start that does not restore the session.
    let plans: Vec<_> = bundled_entries().into_iter().skip(2).collect();
    let app = PlanAlignApp::open(Start::Plans(plans), Lang::En, &options(&dir));
    let toast = app
        .state
        .ui
        .toasts
        .iter()
        .find(|t| t.text.starts_with("The last session's work was kept in"))
        .expect("a toast says where the work went");
    let kept = Path::new(toast.text.split(": ").nth(1).unwrap());
    let saved = planalign::workspace::load(kept).unwrap();
    assert_eq!(saved.tag_edits, work.tag_edits);
    assert_eq!(saved.decisions, work.decisions);
    assert!(
        app.state.doc.edits.decisions.is_empty(),
        "the new session starts clean"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
