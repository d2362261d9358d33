//! The interface's words: one table per language, every text under one key.
//!
//! The status bar, the panes' titles, the checks pane's labels, the help
//! overlay, the TUI's flash lines and the sentences of `dockdojo watch` and
//! `dockdojo hint` say
//! [`tr`]`(T::...)` instead of a string literal. English is the table every
//! key must have; another language's table may miss a key (English is shown
//! then), but a test fails until it has them all. Values with `{name}` are
//! filled by [`fill`].
//!
//! The language is chosen once at startup ([`set_lang`], from `--lang` or
//! the settings file), for the whole process; [`with_lang`] draws in another
//! language on one thread only, so tests in parallel never see each other's.
//!
//! To add a language: copy the `DE` table, name it after the language tag,
//! translate each value (keep `{name}` as it is), add it to [`TABLES`], and
//! run `cargo test ui::text`.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

macro_rules! keys {
    ($($(#[$m:meta])* $key:ident),* $(,)?) => {
        /// The key of one text of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum T { $($(#[$m])* $key),* }
        impl T {
            /// Every key.
            pub const ALL: &'static [T] = &[$(T::$key),*];
        }
    };
}

keys! {
    // The status bar.
    EngineConnecting,
    EngineOk,
    EngineUnreachable,
    /// `{endpoint}`, `{reason}`, `{advice}`.
    EngineUnreachableWhy,
    // The engine pane, while the engine cannot be reached.
    EnginePaneLastKnown,
    EnginePaneWaiting,
    ClassConnecting,
    ClassConnected,
    ClassOffline,
    ClassRefused,
    KeyHelp,
    KeyLesson,
    KeyConsole,
    KeyLessons,
    KeyMap,
    KeyCheck,
    KeyHint,
    KeyNext,
    KeyQuit,
    KeySend,
    // Pane titles and their key lines.
    PaneLesson,
    /// `{n}`, `{of}`.
    PaneHint,
    HintNextKeys,
    HintLastKeys,
    PaneChecks,
    PaneChecksRunning,
    /// `{passed}`, `{total}`.
    PaneChecksCount,
    /// `{folder}`.
    PaneConsole,
    ConsoleTypeHere,
    PaneEngine,
    PaneLessons,
    PaneSolution,
    PaneSolutionAsk,
    /// `{what}`.
    PaneMap,
    MapThisLesson,
    MapEverything,
    MapKeys,
    MapKeysFocused,
    PaneAnatomy,
    AnatomyKeys,
    PaneHelp,
    EscClose,
    // The engine pane.
    EngineImages,
    EngineNetworks,
    EngineContainers,
    EngineNotBuilt,
    EngineNotCreated,
    /// `{driver}`.
    EngineNoContainers,
    EngineListing,
    // The console, the map and image anatomy.
    ConsoleExited,
    MapListing,
    AnatomyOneImage,
    /// `{a}`, `{b}`, `{n}`.
    AnatomyRange,
    AnatomyKeysMore,
    AnatomyKeysFocused,
    AnatomyReading,
    /// `{error}`.
    AnatomyCannotRead,
    AnatomySteps,
    AnatomyBaseOneStep,
    /// `{n}`.
    AnatomyBaseSteps,
    AnatomyNoInstruction,
    AnatomyTools,
    AnatomyShell,
    AnatomyPackages,
    AnatomyCompilers,
    AnatomyNetwork,
    AnatomyNotLooked,
    AnatomyNone,
    AnatomyNoImages,
    // The lesson list, the solution, a window too small.
    LessonsKeys,
    /// `{done}`, `{total}`.
    LessonsDone,
    LessonDone,
    LessonInProgress,
    LessonNotStarted,
    SolutionNone,
    SolutionKeys,
    SolutionConfirm,
    SolutionShow,
    SolutionNotYet,
    /// `{min_w}`, `{min_h}`, `{w}`, `{h}`.
    TooSmall,
    TooSmallQuit,
    // The checks pane.
    CheckWhy,
    CheckExpected,
    CheckFound,
    CheckTry,
    CheckCouldNot,
    CheckNotHere,
    CheckSameReason,
    ChecksAllPass,
    ChecksAllPassKeys,
    ChecksNone,
    /// `{n}`.
    ChecksMore,
    // The help overlay: headings, then what each key does.
    HelpAnywhere,
    HelpF1,
    HelpF2,
    HelpF3,
    HelpF4F9,
    HelpF5,
    HelpF6,
    HelpF7,
    HelpF8,
    HelpQuit,
    HelpLessonFocus,
    HelpScroll,
    HelpPage,
    HelpBlocks,
    HelpSendBlock,
    HelpLetters,
    HelpPictureKeys,
    HelpMouse,
    HelpConsoleFocus,
    HelpAnyKey,
    HelpScrollBack,
    HelpNewShell,
    // Flash lines in the TUI's status bar.
    FlashNoCommands,
    FlashNoHints,
    /// `{seen}`, `{of}`.
    FlashSolutionLocked,
    FlashLastLesson,
    FlashScanning,
    /// `{error}`.
    FlashConsole,
    /// `{error}`.
    FlashClassFile,
    // `dockdojo hint`.
    /// `{id}`.
    HintNone,
    /// `{n}`, `{id}`.
    HintAllSeen,
    /// `{n}`, `{of}`, `{id}`.
    HintHeading,
    /// `{id}`.
    HintWasLast,
    /// `{id}`.
    HintNextCommand,
    // `dockdojo watch`: the word before a check's title, its details, the sentences.
    WatchPass,
    WatchFail,
    WatchError,
    WatchSkipped,
    WatchUnsupported,
    WatchExpected,
    WatchFound,
    WatchTry,
    WatchCode,
    /// `{lang}`.
    WatchCodeIn,
    WatchCodeEnd,
    /// `{n}`, `{of}`, `{title}`.
    WatchLesson,
    /// `{dir}`.
    WatchWorkIn,
    WatchKeys,
    /// `{dir}`, `{error}`.
    WatchCannotCopy,
    /// `{dir}`, `{error}`.
    WatchCannotWatch,
    /// `{endpoint}`, `{version}`.
    WatchEngineOk,
    /// `{endpoint}`, `{reason}`, `{advice}`.
    WatchEngineUnreachable,
    WatchLastLesson,
    /// `{n}`, `{of}`, `{text}`.
    WatchHint,
    WatchNoMoreHints,
    /// `{key}`.
    WatchNotAKey,
    /// `{title}`.
    WatchLessonPassed,
    /// `{error}`.
    WatchCannotSave,
}

/// One language's texts.
pub struct Table {
    /// Its language tag.
    pub lang: &'static str,
    pub texts: &'static [(T, &'static str)],
}

/// Every language the interface speaks; English first (the fallback).
pub const TABLES: &[Table] = &[EN, DE];

const EN: Table = Table {
    lang: "en",
    texts: &[
        (T::EngineConnecting, "engine: connecting…"),
        (T::EngineOk, "engine: ok"),
        (T::EngineUnreachable, "engine: unreachable"),
        (
            T::EngineUnreachableWhy,
            "engine unreachable: {endpoint}: {reason}. {advice}",
        ),
        (
            T::EnginePaneLastKnown,
            "✘ engine unreachable · last known state:",
        ),
        (
            T::EnginePaneWaiting,
            "✘ engine unreachable · waiting for it to come back",
        ),
        (T::ClassConnecting, "class: connecting…"),
        (T::ClassConnected, "class: connected"),
        (T::ClassOffline, "class: offline (queued)"),
        (T::ClassRefused, "class: refused"),
        (T::KeyHelp, "help"),
        (T::KeyLesson, "lesson"),
        (T::KeyConsole, "console"),
        (T::KeyLessons, "lessons"),
        (T::KeyMap, "map"),
        (T::KeyCheck, "check"),
        (T::KeyHint, "hint"),
        (T::KeyNext, "next"),
        (T::KeyQuit, "quit"),
        (T::KeySend, "send"),
        (T::PaneLesson, "Lesson"),
        (T::PaneHint, "Hint {n}/{of}"),
        (T::HintNextKeys, "F6 next hint · Esc hide"),
        (T::HintLastKeys, "F8 solution · Esc hide"),
        (T::PaneChecks, "Checks"),
        (T::PaneChecksRunning, "Checks: checking…"),
        (T::PaneChecksCount, "Checks {passed}/{total}"),
        (T::PaneConsole, "Console: {folder}"),
        (T::ConsoleTypeHere, "F2 to type here"),
        (T::PaneEngine, "Engine"),
        (T::PaneLessons, "Lessons"),
        (T::PaneSolution, "Solution"),
        (T::PaneSolutionAsk, "Solution?"),
        (T::PaneMap, "Network map · {what}"),
        (T::MapThisLesson, "this lesson"),
        (T::MapEverything, "everything"),
        (T::MapKeys, "F2 focus · F4 close"),
        (T::MapKeysFocused, "a all · j k · Esc close"),
        (T::PaneAnatomy, "Image anatomy"),
        (T::AnatomyKeys, "F2 focus · F9 close"),
        (T::PaneHelp, "Help"),
        (T::EscClose, "Esc close"),
        (T::EngineImages, "images"),
        (T::EngineNetworks, "networks"),
        (T::EngineContainers, "containers"),
        (T::EngineNotBuilt, "not built yet"),
        (T::EngineNotCreated, "not created"),
        (T::EngineNoContainers, "{driver} · no containers"),
        (T::EngineListing, "listing…"),
        (T::ConsoleExited, "shell exited — press Enter to start a new one"),
        (T::MapListing, "listing the engine…"),
        (T::AnatomyOneImage, "1 image"),
        (T::AnatomyRange, "{a}-{b} of {n}"),
        (T::AnatomyKeysMore, "← → images · s scan · Esc close"),
        (T::AnatomyKeysFocused, "s scan · j k · Esc close"),
        (T::AnatomyReading, "reading…"),
        (T::AnatomyCannotRead, "cannot read it: {error}"),
        (T::AnatomySteps, "size per build step"),
        (T::AnatomyBaseOneStep, "the base's one step"),
        (T::AnatomyBaseSteps, "the base's {n} steps"),
        (T::AnatomyNoInstruction, "(no instruction recorded)"),
        (T::AnatomyTools, "tools it carries"),
        (T::AnatomyShell, "shell"),
        (T::AnatomyPackages, "packages"),
        (T::AnatomyCompilers, "compilers"),
        (T::AnatomyNetwork, "network"),
        (T::AnatomyNotLooked, "not looked for yet (s)"),
        (T::AnatomyNone, "none"),
        (T::AnatomyNoImages, "This lesson names no images."),
        (T::LessonsKeys, "↑↓ choose · Enter open · Esc close"),
        (T::LessonsDone, "{done} of {total} done"),
        (T::LessonDone, "done"),
        (T::LessonInProgress, "in progress"),
        (T::LessonNotStarted, "not started"),
        (T::SolutionNone, "This lesson ships no solution files."),
        (T::SolutionKeys, "j/k scroll · Esc close"),
        (
            T::SolutionConfirm,
            "That was the last hint. Show the solution now? Trying once more teaches more than reading it.",
        ),
        (T::SolutionShow, "show it"),
        (T::SolutionNotYet, "not yet"),
        (
            T::TooSmall,
            "make the window larger\n(need at least {min_w}x{min_h}, have {w}x{h})",
        ),
        (T::TooSmallQuit, "Ctrl-Q quits"),
        (T::CheckWhy, "why"),
        (T::CheckExpected, "expected"),
        (T::CheckFound, "found"),
        (T::CheckTry, "try"),
        (T::CheckCouldNot, "could not check"),
        (T::CheckNotHere, "not on this engine"),
        (T::CheckSameReason, "(same reason as above)"),
        (T::ChecksAllPass, "✔ All checks pass — lesson complete!"),
        (
            T::ChecksAllPassKeys,
            "F7 next lesson · F8 solution · progress saved",
        ),
        (T::ChecksNone, "This lesson has no checks."),
        (T::ChecksMore, "+{n} more"),
        (T::HelpAnywhere, "Anywhere"),
        (T::HelpF1, "this help (Esc closes)"),
        (T::HelpF2, "move focus between console and lesson"),
        (T::HelpF3, "lesson list (also `l` in the lesson)"),
        (
            T::HelpF4F9,
            "network map, image anatomy (in the lesson's place)",
        ),
        (T::HelpF5, "check now (checks also run by themselves)"),
        (T::HelpF6, "next hint"),
        (T::HelpF7, "next lesson"),
        (T::HelpF8, "solution (after passing or after the last hint)"),
        (T::HelpQuit, "quit"),
        (T::HelpLessonFocus, "Lesson focus"),
        (T::HelpScroll, "scroll"),
        (
            T::HelpPage,
            "scroll a page / top, bottom (Space, Home, End)",
        ),
        (T::HelpBlocks, "next / previous code block"),
        (
            T::HelpSendBlock,
            "type the block at the console prompt (not run)",
        ),
        (
            T::HelpLetters,
            "next lesson, hint, lesson list, map, images, quit",
        ),
        (
            T::HelpPictureKeys,
            "map: all; anatomy: more images, scan; close",
        ),
        (
            T::HelpMouse,
            "scroll, focus the pane; Shift-drag selects text",
        ),
        (T::HelpConsoleFocus, "Console focus"),
        (T::HelpAnyKey, "goes to the shell (F10-F12 too)"),
        (T::HelpScrollBack, "scroll back through output"),
        (T::HelpNewShell, "start a new shell after it exited"),
        (T::FlashNoCommands, "This lesson has no commands to send."),
        (T::FlashNoHints, "This lesson has no hints."),
        (
            T::FlashSolutionLocked,
            "The solution opens once the checks pass, or after the last hint (F6: {seen} of {of} seen).",
        ),
        (T::FlashLastLesson, "This is the last lesson. F3 lists them all."),
        (
            T::FlashScanning,
            "Looking for the kinds of tools no check looked for…",
        ),
        (T::FlashConsole, "console: {error}"),
        (T::FlashClassFile, "class: cannot read the class file: {error}"),
        (
            T::HintNone,
            "Lesson {id} has no hints. To see the reference solution: dockdojo solution {id}",
        ),
        (
            T::HintAllSeen,
            "You have seen all {n} hints of lesson {id}.\nSee one again: dockdojo hint {id} N (1-{n})\nSee the reference solution: dockdojo solution {id}",
        ),
        (T::HintHeading, "Hint {n} of {of} ({id}):"),
        (
            T::HintWasLast,
            "That was the last hint. To see the reference solution: dockdojo solution {id}",
        ),
        (T::HintNextCommand, "Next hint: dockdojo hint {id}"),
        (T::WatchPass, "PASS"),
        (T::WatchFail, "FAIL"),
        (T::WatchError, "CANNOT CHECK"),
        (T::WatchSkipped, "WAITING"),
        (T::WatchUnsupported, "NOT ON THIS ENGINE"),
        (T::WatchExpected, "Expected"),
        (T::WatchFound, "Found"),
        (T::WatchTry, "Try"),
        (T::WatchCode, "Code:"),
        (T::WatchCodeIn, "Code ({lang}):"),
        (T::WatchCodeEnd, "End of code."),
        (T::WatchLesson, "Lesson {n} of {of}: {title}."),
        (T::WatchWorkIn, "Work in {dir}."),
        (
            T::WatchKeys,
            "Keys, each on its own line then Enter: h for the next hint, n for the next lesson, q to quit.",
        ),
        (
            T::WatchCannotCopy,
            "Cannot copy the starter files to {dir}: {error}.",
        ),
        (T::WatchCannotWatch, "Cannot watch {dir} for changes: {error}."),
        (
            T::WatchEngineOk,
            "Engine: connected to {endpoint} (version {version}).",
        ),
        (
            T::WatchEngineUnreachable,
            "Engine unreachable at {endpoint}: {reason}. {advice}",
        ),
        (T::WatchLastLesson, "This is the last lesson."),
        (T::WatchHint, "Hint {n} of {of}: {text}"),
        (
            T::WatchNoMoreHints,
            "No more hints. `dockdojo solution LESSON` prints the solution.",
        ),
        (
            T::WatchNotAKey,
            "`{key}` is not a key here: h for the next hint, n for the next lesson, q to quit.",
        ),
        (
            T::WatchLessonPassed,
            "Lesson passed: {title}. Type n for the next lesson.",
        ),
        (T::WatchCannotSave, "Cannot save progress: {error}."),
    ],
};

const DE: Table = Table {
    lang: "de",
    texts: &[
        (T::EngineConnecting, "Engine: verbinde…"),
        (T::EngineOk, "Engine: ok"),
        (T::EngineUnreachable, "Engine: nicht erreichbar"),
        (
            T::EngineUnreachableWhy,
            "Engine nicht erreichbar: {endpoint}: {reason}. {advice}",
        ),
        (
            T::EnginePaneLastKnown,
            "✘ Engine nicht erreichbar · zuletzt bekannter Stand:",
        ),
        (
            T::EnginePaneWaiting,
            "✘ Engine nicht erreichbar · warte, bis sie wieder da ist",
        ),
        (T::ClassConnecting, "Klasse: verbinde…"),
        (T::ClassConnected, "Klasse: verbunden"),
        (T::ClassOffline, "Klasse: offline (gepuffert)"),
        (T::ClassRefused, "Klasse: abgewiesen"),
        (T::KeyHelp, "Hilfe"),
        (T::KeyLesson, "Lektion"),
        (T::KeyConsole, "Konsole"),
        (T::KeyLessons, "Lektionen"),
        (T::KeyMap, "Karte"),
        (T::KeyCheck, "prüfen"),
        (T::KeyHint, "Tipp"),
        (T::KeyNext, "weiter"),
        (T::KeyQuit, "Ende"),
        (T::KeySend, "senden"),
        (T::PaneLesson, "Lektion"),
        (T::PaneHint, "Tipp {n}/{of}"),
        (T::HintNextKeys, "F6 nächster Tipp · Esc ausblenden"),
        (T::HintLastKeys, "F8 Lösung · Esc ausblenden"),
        (T::PaneChecks, "Prüfungen"),
        (T::PaneChecksRunning, "Prüfungen: prüfe…"),
        (T::PaneChecksCount, "Prüfungen {passed}/{total}"),
        (T::PaneConsole, "Konsole: {folder}"),
        (T::ConsoleTypeHere, "F2, um hier zu tippen"),
        (T::PaneEngine, "Engine"),
        (T::PaneLessons, "Lektionen"),
        (T::PaneSolution, "Lösung"),
        (T::PaneSolutionAsk, "Lösung?"),
        (T::PaneMap, "Netzwerkkarte · {what}"),
        (T::MapThisLesson, "diese Lektion"),
        (T::MapEverything, "alles"),
        (T::MapKeys, "F2 Fokus · F4 schließen"),
        (T::MapKeysFocused, "a alles · j k · Esc schließen"),
        (T::PaneAnatomy, "Image-Anatomie"),
        (T::AnatomyKeys, "F2 Fokus · F9 schließen"),
        (T::PaneHelp, "Hilfe"),
        (T::EscClose, "Esc schließen"),
        (T::EngineImages, "Images"),
        (T::EngineNetworks, "Netzwerke"),
        (T::EngineContainers, "Container"),
        (T::EngineNotBuilt, "noch nicht gebaut"),
        (T::EngineNotCreated, "nicht angelegt"),
        (T::EngineNoContainers, "{driver} · keine Container"),
        (T::EngineListing, "liste auf…"),
        (
            T::ConsoleExited,
            "Shell beendet — Enter startet eine neue",
        ),
        (T::MapListing, "frage die Engine ab…"),
        (T::AnatomyOneImage, "1 Image"),
        (T::AnatomyRange, "{a}-{b} von {n}"),
        (T::AnatomyKeysMore, "← → Images · s scannen · Esc schließen"),
        (T::AnatomyKeysFocused, "s scannen · j k · Esc schließen"),
        (T::AnatomyReading, "lese…"),
        (T::AnatomyCannotRead, "nicht lesbar: {error}"),
        (T::AnatomySteps, "Größe je Build-Schritt"),
        (T::AnatomyBaseOneStep, "der eine Schritt der Basis"),
        (T::AnatomyBaseSteps, "die {n} Schritte der Basis"),
        (T::AnatomyNoInstruction, "(keine Anweisung aufgezeichnet)"),
        (T::AnatomyTools, "mitgebrachte Werkzeuge"),
        (T::AnatomyShell, "Shell"),
        (T::AnatomyPackages, "Pakete"),
        (T::AnatomyCompilers, "Compiler"),
        (T::AnatomyNetwork, "Netzwerk"),
        (T::AnatomyNotLooked, "noch nicht gesucht (s)"),
        (T::AnatomyNone, "keine"),
        (T::AnatomyNoImages, "Diese Lektion nennt keine Images."),
        (T::LessonsKeys, "↑↓ wählen · Enter öffnen · Esc schließen"),
        (T::LessonsDone, "{done} von {total} geschafft"),
        (T::LessonDone, "geschafft"),
        (T::LessonInProgress, "in Arbeit"),
        (T::LessonNotStarted, "offen"),
        (T::SolutionNone, "Diese Lektion hat keine Lösungsdateien."),
        (T::SolutionKeys, "j/k blättern · Esc schließen"),
        (
            T::SolutionConfirm,
            "Das war der letzte Tipp. Jetzt die Lösung zeigen? Noch ein Versuch lehrt mehr als das Lesen.",
        ),
        (T::SolutionShow, "zeigen"),
        (T::SolutionNotYet, "noch nicht"),
        (
            T::TooSmall,
            "vergrößere das Fenster\n(nötig sind mindestens {min_w}x{min_h}, es sind {w}x{h})",
        ),
        (T::TooSmallQuit, "Ctrl-Q beendet"),
        (T::CheckWhy, "warum"),
        (T::CheckExpected, "erwartet"),
        (T::CheckFound, "gefunden"),
        (T::CheckTry, "probier"),
        (T::CheckCouldNot, "nicht prüfbar"),
        (T::CheckNotHere, "nicht auf dieser Engine"),
        (T::CheckSameReason, "(derselbe Grund wie oben)"),
        (
            T::ChecksAllPass,
            "✔ Alle Prüfungen bestanden — Lektion geschafft!",
        ),
        (
            T::ChecksAllPassKeys,
            "F7 nächste Lektion · F8 Lösung · Fortschritt gespeichert",
        ),
        (T::ChecksNone, "Diese Lektion hat keine Prüfungen."),
        (T::ChecksMore, "+{n} weitere"),
        (T::HelpAnywhere, "Überall"),
        (T::HelpF1, "diese Hilfe (Esc schließt)"),
        (T::HelpF2, "Fokus zwischen Konsole und Lektion wechseln"),
        (T::HelpF3, "Lektionsliste (auch `l` in der Lektion)"),
        (
            T::HelpF4F9,
            "Netzwerkkarte, Image-Anatomie (an Stelle der Lektion)",
        ),
        (T::HelpF5, "jetzt prüfen (Prüfungen laufen auch von selbst)"),
        (T::HelpF6, "nächster Tipp"),
        (T::HelpF7, "nächste Lektion"),
        (
            T::HelpF8,
            "Lösung (nach dem Bestehen oder nach dem letzten Tipp)",
        ),
        (T::HelpQuit, "beenden"),
        (T::HelpLessonFocus, "Fokus auf der Lektion"),
        (T::HelpScroll, "blättern"),
        (
            T::HelpPage,
            "eine Seite / Anfang, Ende (Leertaste, Pos1, Ende)",
        ),
        (T::HelpBlocks, "nächster / vorheriger Codeblock"),
        (
            T::HelpSendBlock,
            "den Block an der Konsole eintippen (nicht ausführen)",
        ),
        (
            T::HelpLetters,
            "nächste Lektion, Tipp, Lektionsliste, Karte, Images, Ende",
        ),
        (
            T::HelpPictureKeys,
            "Karte: alles; Anatomie: mehr Images, scannen; schließen",
        ),
        (
            T::HelpMouse,
            "blättern, Bereich fokussieren; Shift-Ziehen markiert Text",
        ),
        (T::HelpConsoleFocus, "Fokus auf der Konsole"),
        (T::HelpAnyKey, "geht an die Shell (auch F10-F12)"),
        (T::HelpScrollBack, "in der Ausgabe zurückblättern"),
        (T::HelpNewShell, "eine neue Shell starten, nachdem sie endete"),
        (T::FlashNoCommands, "Diese Lektion hat keine Befehle zum Senden."),
        (T::FlashNoHints, "Diese Lektion hat keine Tipps."),
        (
            T::FlashSolutionLocked,
            "Die Lösung öffnet sich, wenn die Prüfungen bestehen, oder nach dem letzten Tipp (F6: {seen} von {of} gesehen).",
        ),
        (
            T::FlashLastLesson,
            "Das ist die letzte Lektion. F3 listet alle auf.",
        ),
        (
            T::FlashScanning,
            "Suche nach den Arten von Werkzeugen, nach denen keine Prüfung gesucht hat…",
        ),
        (T::FlashConsole, "Konsole: {error}"),
        (
            T::FlashClassFile,
            "Klasse: die Klassendatei lässt sich nicht lesen: {error}",
        ),
        (
            T::HintNone,
            "Lektion {id} hat keine Tipps. Die Musterlösung zeigt: dockdojo solution {id}",
        ),
        (
            T::HintAllSeen,
            "Du hast alle {n} Tipps der Lektion {id} gesehen.\nEinen noch einmal: dockdojo hint {id} N (1-{n})\nDie Musterlösung: dockdojo solution {id}",
        ),
        (T::HintHeading, "Tipp {n} von {of} ({id}):"),
        (
            T::HintWasLast,
            "Das war der letzte Tipp. Die Musterlösung zeigt: dockdojo solution {id}",
        ),
        (T::HintNextCommand, "Nächster Tipp: dockdojo hint {id}"),
        (T::WatchPass, "BESTANDEN"),
        (T::WatchFail, "NICHT BESTANDEN"),
        (T::WatchError, "NICHT PRÜFBAR"),
        (T::WatchSkipped, "WARTET"),
        (T::WatchUnsupported, "NICHT AUF DIESER ENGINE"),
        (T::WatchExpected, "Erwartet"),
        (T::WatchFound, "Gefunden"),
        (T::WatchTry, "Probier"),
        (T::WatchCode, "Code:"),
        (T::WatchCodeIn, "Code ({lang}):"),
        (T::WatchCodeEnd, "Ende des Codes."),
        (T::WatchLesson, "Lektion {n} von {of}: {title}."),
        (T::WatchWorkIn, "Arbeite in {dir}."),
        (
            T::WatchKeys,
            "Tasten, jede in einer eigenen Zeile mit Enter: h für den nächsten Tipp, n für die nächste Lektion, q zum Beenden.",
        ),
        (
            T::WatchCannotCopy,
            "Die Starter-Dateien lassen sich nicht nach {dir} kopieren: {error}.",
        ),
        (
            T::WatchCannotWatch,
            "{dir} lässt sich nicht auf Änderungen beobachten: {error}.",
        ),
        (
            T::WatchEngineOk,
            "Engine: verbunden mit {endpoint} (Version {version}).",
        ),
        (
            T::WatchEngineUnreachable,
            "Engine nicht erreichbar unter {endpoint}: {reason}. {advice}",
        ),
        (T::WatchLastLesson, "Das ist die letzte Lektion."),
        (T::WatchHint, "Tipp {n} von {of}: {text}"),
        (
            T::WatchNoMoreHints,
            "Keine weiteren Tipps. `dockdojo solution LESSON` zeigt die Lösung.",
        ),
        (
            T::WatchNotAKey,
            "`{key}` ist hier keine Taste: h für den nächsten Tipp, n für die nächste Lektion, q zum Beenden.",
        ),
        (
            T::WatchLessonPassed,
            "Lektion bestanden: {title}. Tippe n für die nächste Lektion.",
        ),
        (
            T::WatchCannotSave,
            "Der Fortschritt lässt sich nicht speichern: {error}.",
        ),
    ],
};

/// The language of the process (an index into [`TABLES`]).
static CURRENT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// A language for this thread only ([`with_lang`]).
    static THIS_THREAD: Cell<Option<usize>> = const { Cell::new(None) };
}

fn index_of(lang: &str) -> Option<usize> {
    let tags: Vec<&str> = TABLES.iter().map(|t| t.lang).collect();
    let tag = crate::lang::pick(lang, &tags)?;
    TABLES.iter().position(|t| t.lang == tag)
}

/// Speak `lang` from now on (`de-AT` finds `de`), when there is a table for
/// it; else English. `None`: English. Returns the language chosen.
pub fn set_lang(lang: Option<&str>) -> &'static str {
    let i = lang.and_then(index_of).unwrap_or(0);
    CURRENT.store(i, Ordering::Relaxed);
    TABLES[i].lang
}

/// Run `f` with the interface in `lang` on this thread only.
pub fn with_lang<R>(lang: &str, f: impl FnOnce() -> R) -> R {
    let i = index_of(lang).unwrap_or(0);
    let before = THIS_THREAD.with(|c| c.replace(Some(i)));
    let out = f();
    THIS_THREAD.with(|c| c.set(before));
    out
}

fn current() -> usize {
    THIS_THREAD
        .with(Cell::get)
        .unwrap_or_else(|| CURRENT.load(Ordering::Relaxed))
}

/// The language the interface speaks now.
pub fn lang() -> &'static str {
    TABLES.get(current()).map_or("en", |t| t.lang)
}

fn lookup(table: &Table, key: T) -> Option<&'static str> {
    table.texts.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The text of `key` in the language of the interface (English when that
/// language's table lacks it).
pub fn tr(key: T) -> &'static str {
    TABLES
        .get(current())
        .and_then(|t| lookup(t, key))
        .or_else(|| lookup(&EN, key))
        .unwrap_or("")
}

/// A text with its `{name}`s filled in.
/// One pass: a value that holds `{...}` itself is never filled again.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, args.iter().find(|(n, _)| *n == &after[..close])?)))
        {
            Some((close, (_, value))) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// [`tr`] then [`fill`].
pub fn trf(key: T, args: &[(&str, &str)]) -> String {
    fill(tr(key), args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        let mut out: Vec<String> = text
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(n, _)| n.to_string()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_table_has_every_key_once_with_the_same_names() {
        for table in TABLES {
            for key in T::ALL {
                let n = table.texts.iter().filter(|(k, _)| k == key).count();
                assert_eq!(n, 1, "{key:?} is in the `{}` table {n} times", table.lang);
                let text = lookup(table, *key).unwrap_or("");
                assert!(
                    !text.trim().is_empty(),
                    "{key:?} is empty in `{}`",
                    table.lang
                );
                assert_eq!(
                    names(text),
                    names(lookup(&EN, *key).unwrap_or("")),
                    "{key:?} in `{}` fills other names than in English",
                    table.lang
                );
            }
            assert_eq!(table.texts.len(), T::ALL.len(), "`{}`", table.lang);
            assert!(crate::lang::is_language_tag(table.lang));
        }
        assert_eq!(TABLES[0].lang, "en");
    }

    #[test]
    fn filling() {
        assert_eq!(
            fill("{a} and {b} {c}", &[("a", "{b}"), ("b", "x")]),
            "{b} and x {c}"
        );
        assert_eq!(fill("no {", &[]), "no {");
    }

    #[test]
    fn a_language_for_one_thread() {
        assert_eq!(with_lang("de-AT", || tr(T::PaneChecks)), "Prüfungen");
        assert_eq!(with_lang("de", lang), "de");
        assert_eq!(with_lang("fr", || tr(T::PaneChecks)), "Checks");
        assert_eq!(
            with_lang("de", || trf(
                T::PaneChecksCount,
                &[("passed", "1"), ("total", "3")]
            )),
            "Prüfungen 1/3"
        );
    }
}
