use clap::Parser;

fn main() {
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
