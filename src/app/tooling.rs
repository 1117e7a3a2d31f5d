//! Tooling around the app: screenshots of the settled window (`gui --screenshot`), frame
//! benchmarks (`gui --bench-frames`) and commands from a script (`gui --commands-stdin`).

use super::*;

/// Where a requested screenshot stands.
#[derive(Default)]
pub(super) struct ScreenshotJob {
    pub(super) path: Option<PathBuf>,
    pub(super) frames: u32,
    pub(super) requested: bool,
    pub(super) result: Arc<Mutex<Option<Result<(), String>>>>,
}

/// Frame timings for `--bench-frames`.
pub(super) struct FrameBench {
    pub(super) frames: u32,
    pub(super) launched: Instant,
    pub(super) first_frame: Option<Duration>,
    pub(super) times: Vec<Duration>,
    /// Time to apply "next measure" (selection, diffs, trace), measured every 50 frames.
    pub(super) select_times: Vec<Duration>,
}

/// Reads commands from `input` on a thread of its own, one JSON [`Command`] per line, and
/// hands them to the app numbered by line (waking it up for each). A line that is not a
/// command is reported on standard error and skipped.
pub(super) fn read_commands(
    input: impl std::io::Read + Send + 'static,
    ctx: egui::Context,
) -> std::sync::mpsc::Receiver<(usize, Command)> {
    use std::io::BufRead as _;
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for (index, line) in std::io::BufReader::new(input).lines().enumerate() {
            let Ok(line) = line else {
                break;
            };
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Command>(&line) {
                Ok(command) => {
                    if sender.send((index + 1, command)).is_err() {
                        break;
                    }
                    ctx.request_repaint();
                }
                Err(err) => eprintln!("stdin line {}: not a command ({err})", index + 1),
            }
        }
    });
    receiver
}

impl PlanAlignApp {
    /// With `--commands-stdin`: applies the commands read so far, each acknowledged on
    /// standard output (`applied N`) once `apply` has returned, that is once it is durable.
    pub(super) fn script_step(&mut self, ctx: &egui::Context) {
        let Some(script) = &self.script else {
            return;
        };
        let commands: Vec<(usize, Command)> = script.try_iter().collect();
        for (line, command) in commands {
            self.apply(vec![command], Some(ctx));
            let mut stdout = std::io::stdout().lock();
            // A closed standard output only means nobody is listening.
            let _ = std::io::Write::write_fmt(&mut stdout, format_args!("applied {line}\n"))
                .and_then(|()| std::io::Write::flush(&mut stdout));
        }
    }

    /// With `--screenshot`: wait for the window to settle, capture it, save a PNG, close.
    pub(super) fn screenshot_step(&mut self, ctx: &egui::Context) {
        let job = &mut self.screenshot;
        let Some(path) = job.path.clone() else {
            return;
        };
        job.frames += 1;
        ctx.request_repaint();
        if !job.requested && job.frames >= 10 {
            job.requested = true;
            let result = Arc::clone(&job.result);
            ctx.request_screenshot(move |image| {
                let saved = save_png(&path, &image);
                if let Ok(mut slot) = result.lock() {
                    *slot = Some(saved);
                }
            });
        }
        let finished = job.result.lock().ok().and_then(|mut slot| slot.take());
        if let Some(outcome) = finished {
            if let Err(message) = outcome {
                eprintln!("planalign: error: {message}");
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// With `--bench-frames`: time this frame's UI work; after the last frame print the
    /// percentiles and memory, and close.
    pub(super) fn bench_step(&mut self, ctx: &egui::Context, elapsed: Duration) {
        let Some(bench) = &mut self.bench else {
            return;
        };
        if bench.first_frame.is_none() {
            bench.first_frame = Some(bench.launched.elapsed());
        } else {
            // The first frame lays out every text once; it is reported on its own.
            bench.times.push(elapsed);
        }
        let done = u32::try_from(bench.times.len()).unwrap_or(u32::MAX) >= bench.frames;
        if !done {
            if bench.times.len() % 50 == 49 {
                let started = Instant::now();
                self.apply(vec![Command::StepMeasure { forward: true }], Some(ctx));
                if let Some(bench) = &mut self.bench {
                    bench.select_times.push(started.elapsed());
                }
            }
            ctx.request_repaint();
            return;
        }
        let mut times = bench.times.clone();
        times.sort();
        let at = |q: f64| {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss,
                reason = "an index into a short list"
            )]
            let index = ((times.len() as f64 - 1.0) * q).round() as usize;
            times.get(index).map_or(0.0, |t| t.as_secs_f64() * 1000.0)
        };
        let (left, right) = (
            self.state.plan(Side::Left).map_or(0, |p| p.measures.len()),
            self.state.plan(Side::Right).map_or(0, |p| p.measures.len()),
        );
        println!(
            "frames {} ({left} + {right} measures): p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            times.len(),
            at(0.5),
            at(0.95),
            at(0.99),
            at(1.0)
        );
        let select_max = bench
            .select_times
            .iter()
            .max()
            .map_or(0.0, |t| t.as_secs_f64() * 1000.0);
        println!(
            "selecting the next measure (diffs, trace): {} times, at most {select_max:.1} ms",
            bench.select_times.len()
        );
        println!(
            "first frame {:.0} ms after launch; memory {}",
            bench.first_frame.unwrap_or_default().as_secs_f64() * 1000.0,
            memory_text()
        );
        self.bench = None;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// Resident and peak memory from /proc (Linux), else "unknown".
pub(super) fn memory_text() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map(|rest| rest.trim().to_owned())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => format!("resident {rss}, peak {peak}"),
        _ => "unknown".to_owned(),
    }
}

pub(super) fn save_png(path: &std::path::Path, image: &egui::ColorImage) -> Result<(), String> {
    let [width, height] = image.size;
    let file = std::fs::File::create(path)
        .map_err(|err| format!("cannot write screenshot ({err}): {}", path.display()))?;
    let mut encoder = png::Encoder::new(
        std::io::BufWriter::new(file),
        u32::try_from(width).unwrap_or(0),
        u32::try_from(height).unwrap_or(0),
    );
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|p| p.to_array()).collect();
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&bytes))
        .map_err(|err| format!("cannot encode screenshot ({err}): {}", path.display()))
}
