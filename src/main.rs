use clap::Parser;

fn main() {
    one_malloc_arena();
    let cli = dockdojo::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("dockdojo: cannot start the async runtime: {e}");
            std::process::exit(2);
        }
    };
    let code = runtime.block_on(dockdojo::commands::run(cli));
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    std::process::exit(code);
}

/// glibc gives every thread that allocates its own malloc arena, up to eight per
/// core, and each keeps its own free memory: the TUI has nine threads (the async
/// runtime's, the console's three, the file watcher), most of which allocate
/// little, and it is I/O-bound, so one arena costs nothing measurable and saves
/// about 0.5 MB of its resident memory (BENCHMARKS.md, "memory").
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn one_malloc_arena() {
    // SAFETY: mallopt only changes the allocator's settings, is thread-safe, and
    // runs here before any other thread exists; M_ARENA_MAX takes any positive
    // value. Its result (0 if the setting was refused) needs no handling: the
    // default is as correct, only larger.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn one_malloc_arena() {}
