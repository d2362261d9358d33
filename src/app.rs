//! The TUI application: one state owner (TEA style). Input, the engine task,
//! the console reader, the check runner and the file watcher send messages;
//! only the main loop changes state ([`App::update`]), and drawing only reads it.
//!
//! `update` is pure: it changes [`App`] and returns the side effects ([`Cmd`])
//! the loop must carry out (talk to the shell, run checks, save progress).

use crate::ui::text::{tr, trf, T};
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use crate::check::LessonResult;
use crate::context::Ctx;
use crate::event::{Cmd, EngineUpdate, Msg};
use crate::lesson::{Lesson, Pack};
use crate::markdown::Document;
use crate::progress::Progress;
use crate::theme::Theme;
use crate::ui::engine::{EngineView, Named};

mod relevance;
use crate::ui::lesson::LessonText;
use crate::ui::lessons_list::LessonStatus;
use crate::ui::status::{ClassStatus, EngineStatus};
use crate::ui::{self, Areas};
pub use relevance::{concerns, lesson_names, Helpers};
pub use runtime::unreachable_update;

/// The shortest time between two frames (~60 fps).
pub const FRAME: Duration = Duration::from_millis(16);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Console,
    Lesson,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    Lessons { selected: usize },
    ConfirmSolution,
    Solution { scroll: usize },
}

/// A picture shown in the lesson's column instead of the lesson (F4, F9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picture {
    /// The network map; `all`: every object, not only the lesson's.
    Map { all: bool, scroll: usize },
    /// Image anatomy of the lesson's images, two at a time from `first`.
    Anatomy { first: usize, scroll: usize },
}

/// The whole state of the TUI.
pub struct App {
    pub pack: Arc<Pack>,
    pub lesson_idx: usize,
    doc: Document,
    /// `doc` was parsed without colouring code (the grammars were still loading).
    doc_unhighlighted: bool,
    /// Indices into `doc.code_blocks()` of the sendable blocks, in `text.blocks` order.
    sendable: Vec<usize>,
    pub text: LessonText,
    text_width: u16,
    pub scroll: usize,
    pub selected_block: Option<usize>,
    pub focus: Focus,
    pub overlay: Overlay,
    pub picture: Option<Picture>,
    /// The anatomy of the lesson's images, once read for the anatomy view.
    pub anatomy: Option<Vec<crate::check::anatomy::ImageFact>>,
    /// The last anatomy request: only its answer is shown (an older one,
    /// or one for another lesson, would undo a newer scan).
    anatomy_request: u64,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub engine_status: EngineStatus,
    /// The joined class's link; None when no class was joined.
    pub class_status: Option<ClassStatus>,
    pub engine_view: Option<EngineView>,
    /// Names the current lesson mentions.
    pub named: Named,
    /// Sentences about requirements this platform cannot meet.
    pub notes: Vec<String>,
    /// What the engine runs on, once known.
    pub platform: Option<crate::engine::platform::Platform>,
    pub result: Option<LessonResult>,
    /// Checks are scheduled or running (drawn as `…`).
    pub checking: bool,
    check_running: bool,
    check_again: bool,
    /// Increases with each lesson opened; results of older lessons are dropped.
    pub generation: u64,
    pub hints_shown: usize,
    pub hint_visible: bool,
    pub solution_lines: Vec<Line<'static>>,
    pub console_exited: bool,
    pub console_error: Option<String>,
    /// The console's folder, shortened for its title.
    pub console_folder: String,
    pub progress: Progress,
    /// A short message in the status bar until the next key.
    pub flash: Option<String>,
    /// The palette everything is drawn with.
    pub theme: Theme,
    pub dirty: bool,
    pub quit: bool,
}

/// The lesson to open: the one named, else the first not yet passed.
pub fn first_unfinished(pack: &Pack, progress: &Progress) -> usize {
    pack.lessons
        .iter()
        .position(|l| progress.status(&l.id) != LessonStatus::Passed)
        .unwrap_or(0)
}

impl App {
    pub fn new(
        pack: Arc<Pack>,
        lesson_idx: usize,
        progress: Progress,
        size: (u16, u16),
        theme: Theme,
        home_short: impl Fn(&Lesson) -> String,
    ) -> App {
        let mut app = App {
            pack,
            lesson_idx: 0,
            doc: Document::parse_unhighlighted("", &theme),
            doc_unhighlighted: true,
            sendable: Vec::new(),
            text: LessonText::default(),
            text_width: 0,
            scroll: 0,
            selected_block: None,
            focus: Focus::Console,
            overlay: Overlay::None,
            picture: None,
            anatomy: None,
            anatomy_request: 0,
            size,
            engine_status: EngineStatus::Connecting,
            class_status: None,
            engine_view: None,
            named: Named::default(),
            notes: Vec::new(),
            platform: None,
            result: None,
            checking: false,
            check_running: false,
            check_again: false,
            generation: 0,
            hints_shown: 0,
            hint_visible: false,
            solution_lines: Vec::new(),
            console_exited: false,
            console_error: None,
            console_folder: String::new(),
            progress,
            flash: None,
            theme,
            dirty: true,
            quit: false,
        };
        app.load_lesson(lesson_idx.min(app.pack.lessons.len().saturating_sub(1)));
        app.console_folder = home_short(app.lesson());
        app
    }

    /// Draw with another palette from now on (the lesson's colours are
    /// parsed again; scroll and selection stay).
    pub fn set_theme(&mut self, theme: Theme) {
        self.theme = theme;
        let body = &self.pack.lessons[self.lesson_idx].body;
        self.doc = if self.doc_unhighlighted {
            Document::parse_unhighlighted(body, &self.theme)
        } else {
            Document::parse(body, &self.theme)
        };
        self.solution_lines = ui::solution::solution_text(&self.theme, &self.lesson().solution);
        self.text_width = 0;
        self.relayout();
        self.dirty = true;
    }

    pub fn lesson(&self) -> &Lesson {
        &self.pack.lessons[self.lesson_idx]
    }

    /// The pane layout for the current size, `None` when the window is too small.
    pub fn areas(&self) -> Option<Areas> {
        let area = Rect::new(0, 0, self.size.0, self.size.1);
        let status_h = self.engine_status.height(self.size.0);
        let first = ui::layout(area, status_h)?;
        let view = ui::checks::ChecksView {
            specs: &self.lesson().checks,
            result: self.result.as_ref(),
            checking: self.checking,
        };
        let want = ui::checks::content_height(&view, ui::inner(first.checks).width as usize) + 2;
        ui::layout_with(area, status_h, Some(want as u16))
    }

    /// Reset lesson state for `idx` (no I/O: the caller carries out `Cmd::OpenLesson`).
    fn load_lesson(&mut self, idx: usize) {
        self.lesson_idx = idx;
        self.generation += 1;
        let lesson = self.lesson().clone();
        // Never wait for the grammars on the way to a frame: until they are
        // loaded (in the background), code is shown uncoloured.
        self.doc_unhighlighted = !crate::markdown::is_loaded();
        self.doc = if self.doc_unhighlighted {
            Document::parse_unhighlighted(&lesson.body, &self.theme)
        } else {
            Document::parse(&lesson.body, &self.theme)
        };
        self.sendable = self
            .doc
            .code_blocks()
            .iter()
            .enumerate()
            .filter(|(_, b)| b.sendable)
            .map(|(i, _)| i)
            .collect();
        self.text_width = 0;
        self.relayout();
        self.scroll = 0;
        self.selected_block = if self.sendable.is_empty() {
            None
        } else {
            Some(0)
        };
        self.focus = Focus::Console;
        self.overlay = Overlay::None;
        // A picture stays open for the next lesson; its scroll starts over,
        // and the anatomy is read again after the first check run.
        self.picture = self.picture.map(|p| match p {
            Picture::Map { all, .. } => Picture::Map { all, scroll: 0 },
            Picture::Anatomy { .. } => Picture::Anatomy {
                first: 0,
                scroll: 0,
            },
        });
        self.anatomy = None;
        self.anatomy_request += 1;
        self.named = lesson_names(&lesson);
        self.update_notes();
        self.result = None;
        self.checking = true;
        self.check_running = false;
        self.check_again = false;
        self.hints_shown = self
            .progress
            .lessons
            .get(&lesson.id)
            .map_or(0, |p| p.hints_shown)
            .min(lesson.hints.len());
        self.hint_visible = false;
        self.solution_lines = ui::solution::solution_text(&self.theme, &lesson.solution);
        self.console_exited = false;
        self.console_error = None;
        self.dirty = true;
    }

    /// What this platform cannot do that the lesson needs (known once connected).
    fn update_notes(&mut self) {
        self.notes = match &self.platform {
            Some(p) => crate::engine::platform::unmet_requirements(&self.lesson().requires, p),
            None => Vec::new(),
        };
    }

    /// Lay the lesson text out again if the pane's width changed.
    fn relayout(&mut self) {
        let width = self.areas().map_or(40, |a| a.lesson_text().width).max(10);
        if width == self.text_width {
            return;
        }
        self.text_width = width;
        let rendered = self.doc.layout(width);
        let blocks = self
            .sendable
            .iter()
            .filter_map(|&i| rendered.block_lines.get(i))
            .map(|r| (r.start, r.end))
            .collect();
        self.text = LessonText {
            lines: rendered.lines,
            blocks,
        };
        self.scroll = self.scroll.min(self.max_scroll());
    }

    /// Rows of lesson text visible at once.
    pub fn text_rows(&self) -> usize {
        let Some(a) = self.areas() else { return 1 };
        let inner = ui::inner(a.lesson);
        let notes = ui::lesson::notes_height(&self.notes, inner.width);
        let hint = self
            .hint_box()
            .map_or(0, |h| ui::lesson::hint_height(&h, inner));
        inner.height.saturating_sub(notes + hint).max(1) as usize
    }

    fn max_scroll(&self) -> usize {
        self.text.lines.len().saturating_sub(self.text_rows())
    }

    fn scroll_by(&mut self, delta: isize) {
        let max = self.max_scroll() as isize;
        self.scroll = (self.scroll as isize + delta).clamp(0, max.max(0)) as usize;
    }

    /// The hint box to draw, if shown.
    pub fn hint_box(&self) -> Option<ui::lesson::HintBox<'_>> {
        if !self.hint_visible || self.hints_shown == 0 {
            return None;
        }
        let hints = &self.lesson().hints;
        hints
            .get(self.hints_shown - 1)
            .map(|t| ui::lesson::HintBox {
                n: self.hints_shown,
                of: hints.len(),
                text: t,
            })
    }

    /// What the next frame shows (see [`ui::ScreenView`]).
    pub fn view(&self) -> ui::ScreenView<'_> {
        let lesson = self.lesson();
        let overlay = match &self.overlay {
            Overlay::None => ui::OverlayView::None,
            Overlay::Help => ui::OverlayView::Help,
            Overlay::Lessons { selected } => ui::OverlayView::Lessons {
                rows: self
                    .pack
                    .lessons
                    .iter()
                    .map(|l| ui::lessons_list::Row {
                        dir_name: &l.dir_name,
                        title: &l.title,
                        status: self.status_of(l),
                    })
                    .collect(),
                selected: *selected,
                current: self.lesson_idx,
            },
            Overlay::ConfirmSolution => ui::OverlayView::ConfirmSolution,
            Overlay::Solution { scroll } => ui::OverlayView::Solution {
                lines: &self.solution_lines,
                scroll: *scroll,
            },
        };
        let picture = match self.picture {
            None => ui::PictureView::None,
            Some(Picture::Map { all, scroll }) => ui::PictureView::Map(ui::map::MapView {
                map: self.network_map(all),
                all,
                scroll,
                focused: self.focus == Focus::Lesson,
            }),
            Some(Picture::Anatomy { first, scroll }) => {
                ui::PictureView::Anatomy(ui::anatomy::AnatomyView {
                    images: &self.named.images,
                    facts: self.anatomy.as_deref(),
                    first,
                    scroll,
                    focused: self.focus == Focus::Lesson,
                })
            }
        };
        ui::ScreenView {
            areas: self.areas(),
            lesson: ui::lesson::LessonView {
                title: &lesson.title,
                position: (self.lesson_idx + 1, self.pack.lessons.len()),
                notes: &self.notes,
                text: &self.text,
                scroll: self.scroll,
                selected_block: self.selected_block,
                focused: self.focus == Focus::Lesson,
                hint: self.hint_box(),
            },
            console: ui::console::ConsoleView {
                folder: &self.console_folder,
                focused: self.focus == Focus::Console,
                exited: self.console_exited,
                error: self.console_error.as_deref(),
            },
            checks: ui::checks::ChecksView {
                specs: &lesson.checks,
                result: self.result.as_ref(),
                checking: self.checking,
            },
            engine_view: self.engine_view.as_ref(),
            named: &self.named,
            engine_status: &self.engine_status,
            class_status: self.class_status,
            console_focused: self.focus == Focus::Console,
            flash: self.flash.as_deref(),
            overlay,
            picture,
            theme: self.theme,
        }
    }

    /// The network map of what the engine holds now, for the lesson (or
    /// everything), with the last check run's reach results.
    pub fn network_map(&self, all: bool) -> Option<crate::map::NetworkMap> {
        let inv = self.engine_view.as_ref()?;
        let scope = if all {
            crate::map::Scope::Everything
        } else {
            crate::map::Scope::Lesson {
                networks: self.named.networks.clone(),
                containers: self.named.containers.clone(),
            }
        };
        let edges = self
            .result
            .as_ref()
            .map(|r| crate::map::reach_edges(self.lesson(), r))
            .unwrap_or_default();
        let mut map = crate::map::NetworkMap::build(inv, &scope, &edges);
        map.reach_pending = self.result.is_none() && crate::map::has_reach_checks(self.lesson());
        Some(map)
    }

    /// Ask for the anatomy of the lesson's images (no scan unless `scan`).
    fn gather_anatomy(&mut self, scan: bool, cmds: &mut Vec<Cmd>) {
        if self.named.images.is_empty() || !self.engine_status.is_ok() {
            return;
        }
        // Each local image by the name the lesson uses for it, if any.
        let lesson_images = &self.lesson().images;
        let candidates = self
            .engine_view
            .iter()
            .flat_map(|v| &v.images)
            .filter_map(|i| {
                let name = i
                    .names
                    .iter()
                    .find(|n| lesson_images.iter().any(|l| ui::engine::same_image(n, l)))
                    .or(i.names.first())?;
                Some((name.clone(), i.id.clone()))
            })
            .collect();
        self.anatomy_request += 1;
        cmds.push(Cmd::GatherAnatomy {
            request: self.anatomy_request,
            images: self.named.images.clone(),
            candidates,
            scan,
        });
    }

    fn anatomy_open(&self) -> bool {
        matches!(self.picture, Some(Picture::Anatomy { .. }))
    }

    /// F4 and F9: open a picture, switch to the other, or close it.
    fn toggle_picture(&mut self, map: bool, cmds: &mut Vec<Cmd>) {
        self.picture = match (self.picture, map) {
            (Some(Picture::Map { .. }), true) | (Some(Picture::Anatomy { .. }), false) => None,
            (_, true) => Some(Picture::Map {
                all: false,
                scroll: 0,
            }),
            (_, false) => {
                self.gather_anatomy(false, cmds);
                Some(Picture::Anatomy {
                    first: 0,
                    scroll: 0,
                })
            }
        };
    }

    /// A key for the open picture (lesson focus); `false` when it is not one
    /// the picture takes.
    fn on_picture_key(&mut self, k: KeyEvent, cmds: &mut Vec<Cmd>) -> bool {
        let Some(p) = self.picture else {
            return false;
        };
        let page = self
            .areas()
            .map_or(10, |a| a.picture().height.saturating_sub(3).max(1) as isize);
        let delta: Option<isize> = match k.code {
            KeyCode::Char('j') | KeyCode::Down => Some(1),
            KeyCode::Char('k') | KeyCode::Up => Some(-1),
            KeyCode::PageDown | KeyCode::Char(' ') => Some(page),
            KeyCode::PageUp => Some(-page),
            KeyCode::Char('g') | KeyCode::Home => Some(isize::MIN / 2),
            KeyCode::Char('G') | KeyCode::End => Some(isize::MAX / 2),
            _ => None,
        };
        if let Some(d) = delta {
            self.scroll_picture(d);
            return true;
        }
        match (p, k.code) {
            (_, KeyCode::Esc | KeyCode::Char('q')) => self.picture = None,
            (Picture::Map { all, .. }, KeyCode::Char('a')) => {
                self.picture = Some(Picture::Map {
                    all: !all,
                    scroll: 0,
                })
            }
            (Picture::Anatomy { first, .. }, KeyCode::Right | KeyCode::Char(']')) => {
                let last = self.named.images.len().saturating_sub(2);
                self.picture = Some(Picture::Anatomy {
                    first: (first + 1).min(last),
                    scroll: 0,
                });
            }
            (Picture::Anatomy { first, .. }, KeyCode::Left | KeyCode::Char('[')) => {
                self.picture = Some(Picture::Anatomy {
                    first: first.saturating_sub(1),
                    scroll: 0,
                });
            }
            (Picture::Anatomy { .. }, KeyCode::Char('s')) => {
                let before = cmds.len();
                self.gather_anatomy(true, cmds);
                if cmds.len() > before {
                    self.flash = Some(tr(T::FlashScanning).into());
                }
            }
            _ => return false,
        }
        true
    }

    /// Scroll the open picture; the view keeps the last screenful in sight.
    fn scroll_picture(&mut self, delta: isize) {
        let step = |s: usize| {
            let s = (self.clamped(s) as isize).saturating_add(delta).max(0) as usize;
            self.clamped(s)
        };
        self.picture = self.picture.map(|p| match p {
            Picture::Map { all, scroll } => Picture::Map {
                all,
                scroll: step(scroll),
            },
            Picture::Anatomy { first, scroll } => Picture::Anatomy {
                first,
                scroll: step(scroll),
            },
        });
    }

    /// `scroll` as the open picture draws it (past its end, its last screenful).
    fn clamped(&self, scroll: usize) -> usize {
        let Some(a) = self.areas() else { return scroll };
        let inner = ui::inner(a.picture());
        let total = match self.picture {
            Some(Picture::Map { all, .. }) => self.network_map(all).map_or(1, |m| {
                ui::map::lines(&self.theme, &m, inner.width as usize).len()
            }),
            Some(Picture::Anatomy { first, .. }) => ui::anatomy::lines(
                &self.theme,
                &ui::anatomy::AnatomyView {
                    images: &self.named.images,
                    facts: self.anatomy.as_deref(),
                    first,
                    scroll: 0,
                    focused: true,
                },
                inner.width as usize,
            )
            .len(),
            None => 0,
        };
        ui::map::clamp_scroll(scroll, total, inner.height as usize)
    }

    /// The lesson's status for the list.
    pub fn status_of(&self, lesson: &Lesson) -> LessonStatus {
        self.progress.status(&lesson.id)
    }

    pub fn passed(&self) -> bool {
        !self.checking
            && self
                .result
                .as_ref()
                .is_some_and(|r| r.passed && !r.checks.is_empty())
    }

    fn ever_passed(&self) -> bool {
        self.passed() || self.status_of(self.lesson()) == LessonStatus::Passed
    }

    fn open(&mut self, idx: usize, cmds: &mut Vec<Cmd>) {
        self.load_lesson(idx);
        cmds.push(Cmd::OpenLesson);
        self.run_checks(cmds);
    }

    /// Ask for a check run now; if one is in flight, one more follows it.
    /// Before the engine feed has said anything, the run waits for it.
    fn run_checks(&mut self, cmds: &mut Vec<Cmd>) {
        self.checking = true;
        if self.engine_status == EngineStatus::Connecting {
            return;
        }
        if self.check_running {
            self.check_again = true;
        } else {
            self.check_running = true;
            cmds.push(Cmd::RunChecks);
        }
    }

    /// A run is in flight and another will follow it (a change arrived
    /// while it ran).
    pub fn checks_queued(&self) -> bool {
        self.check_again
    }

    /// A check run is in flight.
    pub fn checks_running(&self) -> bool {
        self.check_running
    }

    /// The one place state changes.
    pub fn update(&mut self, msg: Msg) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        match msg {
            Msg::Term(ev) => self.on_term(ev, &mut cmds),
            Msg::TermClosed(why) => {
                tracing::warn!("terminal input ended: {why}");
                self.quit = true;
                cmds.push(Cmd::Quit);
            }
            Msg::ConsoleOutput => self.dirty = true,
            Msg::ConsoleExited => {
                self.console_exited = true;
                self.dirty = true;
            }
            Msg::Engine(u) => self.on_engine(u, &mut cmds),
            Msg::ChecksDone { generation, result } => {
                if generation != self.generation {
                    return cmds;
                }
                self.check_running = false;
                if self.check_again {
                    self.check_again = false;
                    self.check_running = true;
                    cmds.push(Cmd::RunChecks);
                } else {
                    self.checking = false;
                }
                let newly_passed = result.passed && !self.passed();
                if newly_passed {
                    self.hint_visible = false;
                }
                cmds.push(Cmd::SaveResult(Box::new(result.clone())));
                // Keep the in-memory progress in step for the lesson list.
                let e = self
                    .progress
                    .lessons
                    .entry(result.lesson.clone())
                    .or_default();
                e.last_result = Some(result.clone());
                self.result = Some(result);
                // What the run found of the images (scans, histories) is
                // what the anatomy shows.
                if self.anatomy_open() {
                    self.gather_anatomy(false, &mut cmds);
                }
                self.dirty = true;
            }
            Msg::AnatomyDone { request, facts } => {
                if request == self.anatomy_request {
                    self.anatomy = Some(facts);
                    self.dirty = true;
                }
            }
            Msg::FilesChanged => {
                self.run_checks(&mut cmds);
                self.dirty = true;
            }
            Msg::ProgressSaved { progress, warning } => {
                self.progress = *progress;
                if warning.is_some() {
                    self.flash = warning;
                }
                self.dirty = true;
            }
            Msg::ConsoleCommandDone => {
                if self.engine_status.is_ok() {
                    self.run_checks(&mut cmds);
                    cmds.push(Cmd::RefreshInventory);
                    self.dirty = true;
                }
            }
            Msg::Class(outcome) => {
                use crate::class::client::Outcome;
                self.class_status = Some(match &outcome {
                    Outcome::Sent(_) => ClassStatus::Connected,
                    Outcome::Queued(_) => ClassStatus::Offline,
                    Outcome::Refused(_) => ClassStatus::Refused,
                });
                if let Outcome::Refused(_) = outcome {
                    self.flash = Some(crate::class::client::outcome_line(&outcome));
                }
                self.dirty = true;
            }
            Msg::HighlighterReady => {
                if self.doc_unhighlighted {
                    self.doc = Document::parse(&self.lesson().body, &self.theme);
                    self.doc_unhighlighted = false;
                    self.text_width = 0;
                    self.relayout();
                    self.dirty = true;
                }
            }
            Msg::Quit(why) => {
                tracing::info!("leaving on {why}");
                self.quit = true;
                cmds.push(Cmd::Quit);
            }
        }
        cmds
    }

    fn on_engine(&mut self, u: EngineUpdate, cmds: &mut Vec<Cmd>) {
        match u {
            EngineUpdate::Connected {
                version, platform, ..
            } => {
                let before =
                    std::mem::replace(&mut self.engine_status, EngineStatus::Ok { version });
                if let Some(p) = platform {
                    self.platform = Some(*p);
                    self.update_notes();
                }
                // The first connection, or back after trouble.
                if before == EngineStatus::Connecting || !before.is_ok() {
                    self.run_checks(cmds);
                }
                self.relayout();
                self.push_resize(cmds);
            }
            EngineUpdate::Unreachable {
                endpoint,
                reason,
                advice,
            } => {
                let new = EngineStatus::Unreachable {
                    endpoint,
                    reason,
                    advice,
                };
                if self.engine_status != new {
                    let before = std::mem::replace(&mut self.engine_status, new);
                    // Offline checks (Dockerfile) can still run; checks that
                    // need the engine now say why they cannot.
                    if before == EngineStatus::Connecting || before.is_ok() {
                        self.run_checks(cmds);
                    }
                    self.relayout();
                    self.push_resize(cmds);
                }
            }
            EngineUpdate::Inventory(view) => {
                // Others' containers come and go all the time on a shared
                // engine: redraw only when what we show changed.
                if self.engine_view.as_ref() == Some(&view) {
                    return;
                }
                let images_changed =
                    self.engine_view.as_ref().map(|v| &v.images) != Some(&view.images);
                self.engine_view = Some(view);
                if images_changed && self.anatomy_open() {
                    self.gather_anatomy(false, cmds);
                }
            }
            EngineUpdate::Change(ch) => {
                if concerns(self.lesson(), &self.named, self.engine_view.as_ref(), &ch) {
                    self.run_checks(cmds);
                } else {
                    return;
                }
            }
        }
        self.dirty = true;
    }

    fn push_resize(&self, cmds: &mut Vec<Cmd>) {
        if let Some(a) = self.areas() {
            let i = a.console_inner();
            cmds.push(Cmd::ConsoleResize {
                rows: i.height.max(1),
                cols: i.width.max(1),
            });
        }
    }

    fn on_term(&mut self, ev: Event, cmds: &mut Vec<Cmd>) {
        match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => {
                self.flash = None;
                self.on_key(k, cmds);
                self.dirty = true;
            }
            Event::Key(_) => {}
            Event::Mouse(m) => self.on_mouse(m, cmds),
            Event::Paste(text) => {
                if self.focus == Focus::Console
                    && self.overlay == Overlay::None
                    && !self.console_exited
                {
                    cmds.push(Cmd::ConsolePaste(text));
                }
            }
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.relayout();
                self.push_resize(cmds);
                self.dirty = true;
            }
            Event::FocusGained | Event::FocusLost => {}
        }
    }

    fn on_mouse(&mut self, m: MouseEvent, cmds: &mut Vec<Cmd>) {
        let Some(a) = self.areas() else { return };
        if self.overlay != Overlay::None {
            return;
        }
        let p = Position::new(m.column, m.row);
        if self.picture.is_some() && a.picture().contains(p) {
            match m.kind {
                MouseEventKind::ScrollUp => self.scroll_picture(-3),
                MouseEventKind::ScrollDown => self.scroll_picture(3),
                MouseEventKind::Down(MouseButton::Left) => self.focus = Focus::Lesson,
                _ => return,
            }
            self.dirty = true;
            return;
        }
        let in_lesson = a.lesson.contains(p);
        let in_console = a.console.contains(p);
        match m.kind {
            MouseEventKind::ScrollUp if in_lesson => self.scroll_by(-3),
            MouseEventKind::ScrollDown if in_lesson => self.scroll_by(3),
            MouseEventKind::ScrollUp if in_console => cmds.push(Cmd::ConsoleScroll(3)),
            MouseEventKind::ScrollDown if in_console => cmds.push(Cmd::ConsoleScroll(-3)),
            MouseEventKind::Down(MouseButton::Left) if in_lesson => self.focus = Focus::Lesson,
            MouseEventKind::Down(MouseButton::Left) if in_console => self.focus = Focus::Console,
            _ => return,
        }
        self.dirty = true;
    }

    fn on_key(&mut self, k: KeyEvent, cmds: &mut Vec<Cmd>) {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(k.code, KeyCode::Char('q') | KeyCode::Char('Q')) {
            self.quit = true;
            cmds.push(Cmd::Quit);
            return;
        }
        if self.overlay != Overlay::None {
            self.on_overlay_key(k, cmds);
            return;
        }
        // Keys dockdojo reserves, whatever has focus.
        match k.code {
            KeyCode::F(1) => {
                self.overlay = Overlay::Help;
                return;
            }
            KeyCode::F(2) => {
                self.focus = match self.focus {
                    Focus::Console => Focus::Lesson,
                    Focus::Lesson => Focus::Console,
                };
                return;
            }
            KeyCode::F(3) => {
                self.overlay = Overlay::Lessons {
                    selected: self.lesson_idx,
                };
                return;
            }
            KeyCode::F(4) => {
                self.toggle_picture(true, cmds);
                return;
            }
            KeyCode::F(9) => {
                self.toggle_picture(false, cmds);
                return;
            }
            KeyCode::F(5) => {
                self.run_checks(cmds);
                return;
            }
            KeyCode::F(6) => {
                self.next_hint(cmds);
                return;
            }
            KeyCode::F(7) => {
                self.next_lesson(cmds);
                return;
            }
            KeyCode::F(8) => {
                self.ask_solution();
                return;
            }
            _ => {}
        }
        match self.focus {
            Focus::Console => self.on_console_key(k, cmds),
            Focus::Lesson if self.picture.is_some() => {
                // The lesson's other keys still work; scrolling and sending
                // belong to the hidden lesson text.
                if !self.on_picture_key(k, cmds)
                    && matches!(k.code, KeyCode::Char('n' | 'h' | 'l' | '?' | 'm' | 'i'))
                {
                    self.on_lesson_key(k, cmds)
                }
            }
            Focus::Lesson => self.on_lesson_key(k, cmds),
        }
    }

    fn on_console_key(&mut self, k: KeyEvent, cmds: &mut Vec<Cmd>) {
        let shift = k.modifiers.contains(KeyModifiers::SHIFT);
        match k.code {
            KeyCode::PageUp if shift => {
                let rows = self.areas().map_or(10, |a| a.console_inner().height as i32);
                cmds.push(Cmd::ConsoleScroll((rows / 2).max(1)));
            }
            KeyCode::PageDown if shift => {
                let rows = self.areas().map_or(10, |a| a.console_inner().height as i32);
                cmds.push(Cmd::ConsoleScroll(-(rows / 2).max(1)));
            }
            KeyCode::Enter if self.console_exited => {
                self.console_exited = false;
                cmds.push(Cmd::ConsoleRestart);
            }
            _ if self.console_exited => {}
            _ => cmds.push(Cmd::ConsoleKey(k)),
        }
    }

    fn on_lesson_key(&mut self, k: KeyEvent, cmds: &mut Vec<Cmd>) {
        let page = self.text_rows().saturating_sub(2).max(1) as isize;
        let shift = k.modifiers.contains(KeyModifiers::SHIFT);
        match k.code {
            KeyCode::Char('j') | KeyCode::Down => self.scroll_by(1),
            KeyCode::Char('k') | KeyCode::Up => self.scroll_by(-1),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll_by(page),
            KeyCode::PageUp => self.scroll_by(-page),
            KeyCode::Char('g') | KeyCode::Home => self.scroll = 0,
            KeyCode::Char('G') | KeyCode::End => self.scroll = self.max_scroll(),
            KeyCode::Tab if shift => self.move_block(-1),
            KeyCode::BackTab | KeyCode::Char('[') => self.move_block(-1),
            KeyCode::Tab | KeyCode::Char(']') => self.move_block(1),
            KeyCode::Enter | KeyCode::Char('s') => self.send_block(cmds),
            KeyCode::Char('q') => {
                self.quit = true;
                cmds.push(Cmd::Quit);
            }
            KeyCode::Char('n') => self.next_lesson(cmds),
            KeyCode::Char('h') => self.next_hint(cmds),
            KeyCode::Char('l') => {
                self.overlay = Overlay::Lessons {
                    selected: self.lesson_idx,
                }
            }
            KeyCode::Char('?') => self.overlay = Overlay::Help,
            KeyCode::Char('m') => self.toggle_picture(true, cmds),
            KeyCode::Char('i') => self.toggle_picture(false, cmds),
            KeyCode::Esc => self.hint_visible = false,
            _ => {}
        }
    }

    fn on_overlay_key(&mut self, k: KeyEvent, cmds: &mut Vec<Cmd>) {
        let close = matches!(k.code, KeyCode::Esc | KeyCode::Char('q'));
        match self.overlay.clone() {
            Overlay::Help => {
                if close || matches!(k.code, KeyCode::F(1) | KeyCode::Enter | KeyCode::Char('?')) {
                    self.overlay = Overlay::None;
                }
            }
            Overlay::Lessons { selected } => {
                let n = self.pack.lessons.len();
                match k.code {
                    KeyCode::Up | KeyCode::Char('k') => {
                        self.overlay = Overlay::Lessons {
                            selected: selected.saturating_sub(1),
                        }
                    }
                    KeyCode::Down | KeyCode::Char('j') => {
                        self.overlay = Overlay::Lessons {
                            selected: (selected + 1).min(n.saturating_sub(1)),
                        }
                    }
                    KeyCode::Enter => {
                        self.overlay = Overlay::None;
                        if selected != self.lesson_idx {
                            self.open(selected, cmds);
                        }
                    }
                    KeyCode::F(3) | KeyCode::Char('l') => self.overlay = Overlay::None,
                    _ if close => self.overlay = Overlay::None,
                    _ => {}
                }
            }
            Overlay::ConfirmSolution => match k.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => {
                    self.overlay = Overlay::Solution { scroll: 0 }
                }
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                    self.overlay = Overlay::None
                }
                _ => {}
            },
            Overlay::Solution { scroll } => {
                let max = self.solution_lines.len().saturating_sub(1);
                let scroll = match k.code {
                    KeyCode::Char('j') | KeyCode::Down => (scroll + 1).min(max),
                    KeyCode::Char('k') | KeyCode::Up => scroll.saturating_sub(1),
                    KeyCode::PageDown | KeyCode::Char(' ') => (scroll + 10).min(max),
                    KeyCode::PageUp => scroll.saturating_sub(10),
                    _ if close || k.code == KeyCode::F(8) => {
                        self.overlay = Overlay::None;
                        return;
                    }
                    _ => scroll,
                };
                self.overlay = Overlay::Solution { scroll };
            }
            Overlay::None => {}
        }
    }

    fn move_block(&mut self, delta: isize) {
        let n = self.text.blocks.len();
        if n == 0 {
            self.flash = Some(tr(T::FlashNoCommands).into());
            return;
        }
        let cur = self.selected_block.unwrap_or(0) as isize;
        let next = (cur + delta).rem_euclid(n as isize) as usize;
        self.selected_block = Some(next);
        // Bring the block into view.
        let (start, end) = self.text.blocks[next];
        let rows = self.text_rows();
        if start < self.scroll || end > self.scroll + rows {
            self.scroll = start.saturating_sub(2).min(self.max_scroll());
        }
    }

    fn send_block(&mut self, cmds: &mut Vec<Cmd>) {
        let Some(sel) = self.selected_block else {
            self.flash = Some(tr(T::FlashNoCommands).into());
            return;
        };
        let Some(block) = self
            .sendable
            .get(sel)
            .and_then(|&i| self.doc.code_blocks().get(i))
        else {
            return;
        };
        let text = crate::markdown::command_text(block);
        if self.console_exited {
            self.console_exited = false;
            cmds.push(Cmd::ConsoleRestart);
        }
        cmds.push(Cmd::ConsoleType(text));
        self.focus = Focus::Console;
    }

    fn next_hint(&mut self, cmds: &mut Vec<Cmd>) {
        let total = self.lesson().hints.len();
        if total == 0 {
            self.flash = Some(tr(T::FlashNoHints).into());
            return;
        }
        if !self.hint_visible && self.hints_shown > 0 {
            // Show again the last hint seen before going further.
            self.hint_visible = true;
            return;
        }
        if self.hints_shown < total {
            self.hints_shown += 1;
            self.hint_visible = true;
            cmds.push(Cmd::SaveHints {
                lesson: self.lesson().id.clone(),
                shown: self.hints_shown,
            });
        } else {
            self.ask_solution();
        }
    }

    fn ask_solution(&mut self) {
        if self.ever_passed() {
            self.overlay = Overlay::Solution { scroll: 0 };
        } else if self.hints_shown >= self.lesson().hints.len() {
            self.overlay = Overlay::ConfirmSolution;
        } else {
            self.flash = Some(trf(
                T::FlashSolutionLocked,
                &[
                    ("seen", &self.hints_shown.to_string()),
                    ("of", &self.lesson().hints.len().to_string()),
                ],
            ));
        }
    }

    fn next_lesson(&mut self, cmds: &mut Vec<Cmd>) {
        if self.lesson_idx + 1 < self.pack.lessons.len() {
            self.open(self.lesson_idx + 1, cmds);
        } else {
            self.flash = Some(tr(T::FlashLastLesson).into());
        }
    }

    /// Set the console title folder (done by the loop, which knows the home folder).
    pub fn set_console_folder(&mut self, folder: String) {
        self.console_folder = folder;
    }
}

// ---------------------------------------------------------------------------
// The loop: carries out commands, owns the terminal, the console, the tasks.

mod runtime;

/// Open the course at `lesson`, or at the first unfinished one.
pub async fn run(ctx: &Ctx, lesson: Option<String>) -> anyhow::Result<i32> {
    runtime::run(ctx, lesson).await
}

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod screen_tests;
