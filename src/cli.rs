//! The command line (the contract in DESIGN.md).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "dockdojo",
    version,
    about = "An interactive terminal course on Docker multi-stage builds, distroless images and networking, checked against your real Docker engine.",
    long_about = None,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Open the course at LESSON (id or folder name), or at the first unfinished one.
    pub lesson: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Use the lesson pack in DIR instead of the built-in one.
    #[arg(long, global = true, value_name = "DIR", env = "DOCKDOJO_LESSONS")]
    pub lessons: Option<PathBuf>,

    /// Where starter files are copied (default: ~/dockdojo); the console opens in the lesson's folder there.
    #[arg(long, global = true, value_name = "DIR", env = "DOCKDOJO_WORKSPACE")]
    pub workspace: Option<PathBuf>,

    /// Colours for a light or a dark terminal; auto asks the terminal its background (default: the config file's `theme`, else auto).
    #[arg(long, global = true, value_enum, env = "DOCKDOJO_THEME")]
    pub theme: Option<ThemeChoice>,

    /// The language of the lessons and the interface, e.g. `de`, when a translated pack is installed (default: the config file's `lang`, else English).
    #[arg(long, global = true, value_name = "LANG", env = "DOCKDOJO_LANG", value_parser = crate::lang::parse_tag)]
    pub lang: Option<String>,
}

/// `--theme`: which palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThemeChoice {
    /// Ask the terminal (OSC 11), else `COLORFGBG`, else dark.
    Auto,
    Light,
    Dark,
}

impl ThemeChoice {
    /// `auto`, `light` or `dark` (the config file's spelling).
    pub fn parse(s: &str) -> Option<ThemeChoice> {
        <ThemeChoice as ValueEnum>::from_str(s, true).ok()
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the lessons and their status.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Evaluate checks. Exit 0 all pass, 1 some fail, 2 cannot evaluate.
    Check(CheckArgs),
    /// Show the next (or Nth) hint of a lesson.
    Hint {
        lesson: String,
        /// Which hint (1-based); default: the next one not yet shown.
        n: Option<usize>,
    },
    /// Print the reference solution of a lesson.
    Solution { lesson: String },
    /// The course as plain lines (screen readers, beside an editor): the lesson once, then a sentence each time a check changes. Type h, n or q on its own line.
    Watch {
        /// The lesson (id or folder name); default: the first unfinished one.
        lesson: Option<String>,
    },
    /// Remove what a lesson creates (and dockdojo's own labelled objects) and restore its starter files.
    Reset(ResetArgs),
    /// Image anatomy: size, layers and the instruction that made each, shells, package managers, compilers, packages.
    Image {
        image: String,
        #[arg(long)]
        json: bool,
    },
    /// The network map as text: the host, the networks, their containers with addresses, published ports, and the lesson's reach checks as edges (run now). Plain ASCII when not a terminal.
    Map(MapArgs),
    /// Is the engine reachable? Which endpoint, API version, platform, swarm, images the lessons need.
    Doctor {
        #[arg(long)]
        json: bool,
    },
    /// Pull the images the lessons need, or save/load them as one archive.
    Prepare(PrepareArgs),
    /// Progress and latest check results, for an instructor or a grader.
    Report(ReportArgs),
    /// Validate a lesson pack: `file:line:col: message`; exit 0 clean, 1 problems.
    Lint {
        /// The pack directory (default: the built-in pack, or --lessons).
        dir: Option<PathBuf>,
    },
    /// Tools for lesson authors.
    #[command(subcommand)]
    Dev(DevCommand),
    /// A classroom: the instructor serves a live dashboard, learners' checks report to it.
    #[command(subcommand)]
    Class(ClassCommand),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Lessons to check (ids or folder names).
    #[arg(id = "lesson_ids", value_name = "LESSON")]
    pub lessons: Vec<String>,
    /// Check every lesson.
    #[arg(long, conflicts_with = "lesson_ids")]
    pub all: bool,
    /// Print JSON results (one object per lesson; an array with --all or several lessons).
    #[arg(long)]
    pub json: bool,
    /// Also write JUnit XML to FILE (for CI autograders).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MapArgs {
    /// Draw this lesson's networks and containers (and the default networks), with its reach checks; without it, everything.
    pub lesson: Option<String>,
    /// Draw every network and container, not only the lesson's.
    #[arg(long)]
    pub all: bool,
    /// Plain ASCII instead of box drawing (always so when standard output is not a terminal).
    #[arg(long)]
    pub ascii: bool,
    /// Columns to draw in (default: the terminal's width, or 80).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(16..))]
    pub width: Option<u16>,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    pub lesson: Option<String>,
    /// Reset every lesson.
    #[arg(long, conflicts_with = "lesson")]
    pub all: bool,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
    /// Only list what would be removed and restored.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct PrepareArgs {
    /// Save the lessons' images into one archive FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "load")]
    pub save: Option<PathBuf>,
    /// Load images from an archive FILE made with --save.
    #[arg(long, value_name = "FILE")]
    pub load: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Json,
    Junit,
    Markdown,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: ReportFormat,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Lessons `dev verify` runs at once unless `--jobs` says otherwise.
pub const DEFAULT_VERIFY_JOBS: u16 = 2;

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Author QA: at the start the checks do not all pass, after solve.sh they do, reset cleans up.
    Verify {
        /// Lessons to verify (ids or folder names); default: every lesson.
        #[arg(id = "lesson_ids", value_name = "LESSON")]
        lessons: Vec<String>,
        /// Lessons verified at once, where they share no engine state (lessons
        /// that build only their own images run beside the others); 1: one at a time.
        #[arg(short = 'j', long, value_name = "N", default_value_t = DEFAULT_VERIFY_JOBS,
              value_parser = clap::value_parser!(u16).range(1..=16))]
        jobs: u16,
    },
    /// Scaffold a new lesson folder that passes `lint`.
    New {
        /// Lesson name, e.g. `13-my-lesson` or `my-lesson`.
        name: String,
    },
    /// Print which lessons run on which classroom setup (a Markdown table, from the lessons' `requires`).
    Setups {
        /// Replace the table between the markers in FILE (e.g. docs/CLASSROOM.md) instead of printing it.
        #[arg(long, value_name = "FILE")]
        update: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClassCommand {
    /// Serve the class (instructor): prints the dashboard address, the join token and the command learners run.
    Serve(ClassServeArgs),
    /// Join a class: from now on `dockdojo check` sends its results (only check results) there.
    Join {
        /// The address the instructor's server printed, e.g. http://10.0.0.5:7878
        url: String,
        /// The join token the instructor's server printed.
        #[arg(long)]
        token: String,
        /// Your name as the instructor sees it (at most 64 characters).
        #[arg(long)]
        name: String,
    },
    /// Leave the class: `dockdojo check` stops sending and the unsent queue is dropped.
    Leave,
    /// Print the class from its database.
    Export {
        /// The class database (default: class.db under DOCKDOJO_HOME).
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
    },
}

#[derive(Debug, Args)]
pub struct ClassServeArgs {
    /// Address and port to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR")]
    pub bind: String,
    /// The class database (default: class.db under DOCKDOJO_HOME); kept across restarts.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// The token learners join with (default: random).
    #[arg(long, value_name = "T")]
    pub join_token: Option<String>,
    /// The token that opens the dashboard (default: random).
    #[arg(long, value_name = "T")]
    pub instructor_token: Option<String>,
    /// The dashboard's title.
    #[arg(long, value_name = "TEXT", default_value = "dockdojo class")]
    pub title: String,
    /// A check failing this many minutes counts as "stuck" on the dashboard.
    #[arg(long, value_name = "MINUTES", default_value_t = 10)]
    pub stuck_after: u64,
    /// The "stuck" panel lists a check once this many learners are stuck on it.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    pub stuck_learners: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Csv,
    /// One testsuite per learner and lesson, one testcase per check.
    Junit,
}
