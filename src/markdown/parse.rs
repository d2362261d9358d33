//! The pulldown-cmark walker: events to a flat list of blocks, each pointing
//! at its innermost container (quote, list item, footnote). Iterative: the
//! nesting lives in vectors, never on the call stack.

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};
use ratatui::style::Style;

use super::highlight;
use super::wrap::Piece;
use super::{theme, CodeBlock, Document};
use crate::sanitize;
use crate::theme::Theme;

#[derive(Debug, Clone)]
pub(crate) enum BlockKind {
    /// A paragraph or heading (`Some(level)`, 1..=6).
    Text {
        pieces: Vec<Piece>,
        heading: Option<u8>,
    },
    /// Raw HTML, shown as text, line by line.
    Html(Vec<String>),
    /// Index into the document's code blocks.
    Code(usize),
    Rule,
    Table(Table),
}

#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub kind: BlockKind,
    /// Innermost container, if any.
    pub container: Option<usize>,
    /// Items at this position of the container chain (root first) or deeper
    /// show their marker on this block's first line.
    pub marker_from: usize,
    /// A blank line before the block, drawn with the prefixes of the first
    /// `n` containers of the chain.
    pub gap: Option<usize>,
}

#[derive(Debug, Clone)]
pub(crate) enum ContainerKind {
    List(usize),
    Item { list: usize, ordinal: u64 },
    Quote(Option<BlockQuoteKind>),
    Footnote(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Container {
    pub parent: Option<usize>,
    pub kind: ContainerKind,
}

#[derive(Debug, Clone)]
pub(crate) struct ListInfo {
    /// `Some(first number)` for an ordered list.
    pub start: Option<u64>,
    pub items: u64,
    pub tight: Option<bool>,
    /// Nesting level among lists (bullet shape).
    pub level: usize,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    pub aligns: Vec<Alignment>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone)]
pub(crate) struct TableRow {
    pub header: bool,
    pub cells: Vec<Vec<Piece>>,
}

struct CurText {
    pieces: Vec<Piece>,
    heading: Option<u8>,
    explicit: bool,
}

struct TableAcc {
    table: Table,
    row: Option<Vec<Vec<Piece>>>,
    cell: Option<Vec<Piece>>,
    in_head: bool,
}

struct LinkAcc {
    url: String,
    start: usize,
    show_url: bool,
}

struct Builder {
    theme: Theme,
    /// False: code stays unstyled and the grammars are not loaded.
    highlight: bool,
    blocks: Vec<Block>,
    containers: Vec<Container>,
    lists: Vec<ListInfo>,
    code_blocks: Vec<CodeBlock>,
    highlighted: Vec<Vec<super::highlight::StyledLine>>,
    stack: Vec<usize>,
    unmarked_from: Option<usize>,
    min_depth: usize,
    styles: Vec<Style>,
    cur: Option<CurText>,
    code: Option<(String, String)>,
    html: Option<String>,
    table: Option<TableAcc>,
    links: Vec<LinkAcc>,
    images: Vec<usize>,
    metadata: bool,
    /// The last block was an alert's title: the text follows without a gap.
    after_title: bool,
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

pub(crate) fn parse(markdown: &str, theme: &Theme) -> Document {
    parse_opts(markdown, theme, true)
}

pub(crate) fn parse_opts(markdown: &str, theme: &Theme, highlight: bool) -> Document {
    let mut b = Builder {
        theme: *theme,
        highlight,
        blocks: Vec::new(),
        containers: Vec::new(),
        lists: Vec::new(),
        code_blocks: Vec::new(),
        highlighted: Vec::new(),
        stack: Vec::new(),
        unmarked_from: None,
        min_depth: 0,
        styles: Vec::new(),
        cur: None,
        code: None,
        html: None,
        table: None,
        links: Vec::new(),
        images: Vec::new(),
        metadata: false,
        after_title: false,
    };
    for event in Parser::new_ext(markdown, options()) {
        b.event(event);
    }
    b.finish_inline();
    Document {
        blocks: b.blocks,
        containers: b.containers,
        lists: b.lists,
        code_blocks: b.code_blocks,
        highlighted: b.highlighted,
        code_bg: if highlight {
            highlight::code_background(theme)
        } else {
            None
        },
        theme: *theme,
    }
}

/// Prose text: sanitized, one line, tabs as spaces.
fn prose(s: &str) -> String {
    sanitize::clean(&s.replace("\r\n", " ").replace(['\n', '\r', '\t'], " "))
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alert_title(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "Note",
        BlockQuoteKind::Tip => "Tip",
        BlockQuoteKind::Important => "Important",
        BlockQuoteKind::Warning => "Warning",
        BlockQuoteKind::Caution => "Caution",
    }
}

fn pieces_text(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(_, t) => t.as_str(),
            Piece::Break => " ",
        })
        .collect()
}

impl Builder {
    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    fn push_style(&mut self, patch: Style) {
        let s = self.style().patch(patch);
        self.styles.push(s);
    }

    fn pop_style(&mut self) {
        self.styles.pop();
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if self.metadata {
                } else if let Some((_, code)) = self.code.as_mut() {
                    code.push_str(&t);
                } else if let Some(html) = self.html.as_mut() {
                    html.push_str(&t);
                } else {
                    let style = self.style();
                    self.push_piece(Piece::Text(style, prose(&t)));
                }
            }
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                let style = self.style().patch(theme::inline_code(&self.theme));
                self.push_piece(Piece::Text(style, prose(&t)));
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                if let Some(html) = self.html.as_mut() {
                    html.push_str(&t);
                } else {
                    let style = self.style().patch(theme::html(&self.theme));
                    self.push_piece(Piece::Text(style, prose(&t)));
                }
            }
            Event::FootnoteReference(label) => {
                let text = format!("[{}]", prose(&label));
                self.push_piece(Piece::Text(theme::footnote(&self.theme), text));
            }
            Event::SoftBreak => {
                let style = self.style();
                self.push_piece(Piece::Text(style, " ".into()));
            }
            Event::HardBreak => self.push_piece(Piece::Break),
            Event::Rule => {
                self.finish_inline();
                self.emit(BlockKind::Rule);
            }
            Event::TaskListMarker(done) => {
                let (style, text) = if done {
                    (theme::task_done(&self.theme), "[x] ")
                } else {
                    (theme::task_open(&self.theme), "[ ] ")
                };
                self.push_piece(Piece::Text(style, text.into()));
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                self.finish_inline();
                self.mark_tightness(false);
                self.cur = Some(CurText {
                    pieces: Vec::new(),
                    heading: None,
                    explicit: true,
                });
            }
            Tag::Heading { level, .. } => {
                self.finish_inline();
                let level = heading_level(level);
                self.cur = Some(CurText {
                    pieces: Vec::new(),
                    heading: Some(level),
                    explicit: true,
                });
                self.push_style(theme::heading(&self.theme, level));
            }
            Tag::BlockQuote(kind) => {
                self.finish_inline();
                self.push_container(ContainerKind::Quote(kind));
                if let Some(kind) = kind {
                    let title = Piece::Text(
                        theme::alert_title(&self.theme, kind),
                        alert_title(kind).into(),
                    );
                    self.emit(BlockKind::Text {
                        pieces: vec![title],
                        heading: None,
                    });
                    self.after_title = true;
                }
            }
            Tag::CodeBlock(kind) => {
                self.finish_inline();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{' || c == '}')
                        .find(|s| !s.is_empty())
                        .map(|s| s.trim_start_matches('.').to_string())
                        .unwrap_or_default(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((sanitize::clean_line(&lang), String::new()));
            }
            Tag::HtmlBlock => {
                self.finish_inline();
                self.html = Some(String::new());
            }
            Tag::List(start) => {
                self.finish_inline();
                let level = self
                    .stack
                    .iter()
                    .filter(|&&c| matches!(self.containers[c].kind, ContainerKind::List(_)))
                    .count();
                self.lists.push(ListInfo {
                    start,
                    items: 0,
                    tight: None,
                    level,
                });
                self.push_container(ContainerKind::List(self.lists.len() - 1));
            }
            Tag::Item => {
                self.finish_inline();
                let list = self
                    .stack
                    .last()
                    .and_then(|&c| match self.containers[c].kind {
                        ContainerKind::List(l) => Some(l),
                        _ => None,
                    });
                let (list, ordinal) = match list {
                    Some(l) => {
                        let info = &mut self.lists[l];
                        let ordinal = info.start.unwrap_or(1).saturating_add(info.items);
                        info.items += 1;
                        (l, ordinal)
                    }
                    None => {
                        // An item outside a list: give it a list of its own.
                        self.lists.push(ListInfo {
                            start: None,
                            items: 1,
                            tight: None,
                            level: 0,
                        });
                        (self.lists.len() - 1, 1)
                    }
                };
                self.push_container(ContainerKind::Item { list, ordinal });
                self.unmarked_from.get_or_insert(self.stack.len() - 1);
            }
            Tag::FootnoteDefinition(label) => {
                self.finish_inline();
                self.push_container(ContainerKind::Footnote(prose(&label)));
                self.unmarked_from.get_or_insert(self.stack.len() - 1);
            }
            Tag::Table(aligns) => {
                self.finish_inline();
                self.table = Some(TableAcc {
                    table: Table {
                        aligns,
                        rows: Vec::new(),
                    },
                    row: None,
                    cell: None,
                    in_head: false,
                });
            }
            Tag::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = true;
                    t.row = Some(Vec::new());
                }
            }
            Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.row = Some(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(t) = self.table.as_mut() {
                    t.cell = Some(Vec::new());
                }
                let patch = if self.table.as_ref().is_some_and(|t| t.in_head) {
                    theme::table_header(&self.theme)
                } else {
                    Style::new()
                };
                self.push_style(patch);
            }
            Tag::Emphasis => self.push_style(theme::emphasis(&self.theme)),
            Tag::Strong => self.push_style(theme::strong(&self.theme)),
            Tag::Strikethrough => self.push_style(theme::strikethrough(&self.theme)),
            Tag::Superscript | Tag::Subscript => self.push_style(Style::new()),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let url = sanitize::clean_line(&dest_url);
                let show_url = !matches!(link_type, LinkType::Autolink | LinkType::Email)
                    && !url.is_empty()
                    && !url.starts_with('#');
                let start = self.target_len();
                self.links.push(LinkAcc {
                    url,
                    start,
                    show_url,
                });
                self.push_style(theme::link(&self.theme));
            }
            Tag::Image { .. } => {
                let style = self.style().patch(theme::image(&self.theme));
                self.push_piece(Piece::Text(style, "[image: ".into()));
                let start = self.target_len();
                self.images.push(start);
                self.push_style(theme::image(&self.theme));
            }
            Tag::MetadataBlock(_) => self.metadata = true,
            Tag::DefinitionList => self.finish_inline(),
            Tag::DefinitionListTitle | Tag::DefinitionListDefinition => {
                self.finish_inline();
                self.cur = Some(CurText {
                    pieces: Vec::new(),
                    heading: None,
                    explicit: true,
                });
            }
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::DefinitionList => self.finish_inline(),
            TagEnd::Heading(_) => {
                self.pop_style();
                self.finish_inline();
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) => {
                self.finish_inline();
                self.pop_container();
            }
            TagEnd::Item | TagEnd::FootnoteDefinition => {
                self.finish_inline();
                if self.unmarked_from.is_some() {
                    // An empty item still shows its marker.
                    self.emit(BlockKind::Text {
                        pieces: Vec::new(),
                        heading: None,
                    });
                }
                self.pop_container();
            }
            TagEnd::CodeBlock => {
                if let Some((lang, raw)) = self.code.take() {
                    let raw = raw.replace("\r\n", "\n");
                    let code = sanitize::clean(&raw);
                    let sendable = is_shell(&lang);
                    let lines = if self.highlight {
                        highlight::highlight(&code, &lang, &self.theme)
                    } else {
                        highlight::unstyled(&code)
                    };
                    self.code_blocks.push(CodeBlock {
                        lang,
                        code,
                        sendable,
                    });
                    self.highlighted.push(lines);
                    self.emit(BlockKind::Code(self.code_blocks.len() - 1));
                }
            }
            TagEnd::HtmlBlock => {
                if let Some(html) = self.html.take() {
                    let lines = html
                        .trim_end_matches(['\n', '\r'])
                        .lines()
                        .map(|l| highlight::expand_tabs(&sanitize::clean(l), 0).0)
                        .collect();
                    self.emit(BlockKind::Html(lines));
                }
            }
            TagEnd::Table => {
                if let Some(acc) = self.table.take() {
                    self.emit(BlockKind::Table(acc.table));
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    if let Some(cells) = t.row.take() {
                        t.table.rows.push(TableRow {
                            header: t.in_head,
                            cells,
                        });
                    }
                    t.in_head = false;
                }
            }
            TagEnd::TableCell => {
                self.pop_style();
                if let Some(t) = self.table.as_mut() {
                    if let (Some(cell), Some(row)) = (t.cell.take(), t.row.as_mut()) {
                        row.push(cell);
                    }
                }
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => self.pop_style(),
            TagEnd::Link => {
                self.pop_style();
                if let Some(link) = self.links.pop() {
                    let text = self.target_text_since(link.start);
                    if link.show_url && text.trim() != link.url {
                        let piece =
                            Piece::Text(theme::url(&self.theme), format!(" ({})", link.url));
                        self.push_piece(piece);
                    }
                }
            }
            TagEnd::Image => {
                self.pop_style();
                let start = self.images.pop().unwrap_or(0);
                let empty = self.target_text_since(start).trim().is_empty();
                let style = self.style().patch(theme::image(&self.theme));
                let close = if empty { "…]" } else { "]" };
                self.push_piece(Piece::Text(style, close.into()));
            }
            TagEnd::MetadataBlock(_) => self.metadata = false,
        }
    }

    /// Where inline pieces go: the open table cell, else the text block.
    fn target(&mut self) -> &mut Vec<Piece> {
        match self.table {
            // Inline content in a table outside a cell cannot happen with
            // pulldown-cmark; it would land in the next cell, never be lost.
            Some(ref mut t) => t.cell.get_or_insert_with(Vec::new),
            None => {
                if self.cur.is_none() {
                    self.mark_tightness(true);
                }
                &mut self
                    .cur
                    .get_or_insert_with(|| CurText {
                        pieces: Vec::new(),
                        heading: None,
                        explicit: false,
                    })
                    .pieces
            }
        }
    }

    fn target_len(&mut self) -> usize {
        self.target().len()
    }

    fn target_text_since(&mut self, start: usize) -> String {
        let pieces = self.target();
        pieces_text(pieces.get(start..).unwrap_or(&[]))
    }

    fn push_piece(&mut self, piece: Piece) {
        if self.metadata {
            return;
        }
        self.target().push(piece);
    }

    /// A paragraph directly in a list item makes the list loose, bare text
    /// makes it tight (pulldown-cmark's way of telling them apart).
    fn mark_tightness(&mut self, tight: bool) {
        if let Some(&top) = self.stack.last() {
            if let ContainerKind::Item { list, .. } = self.containers[top].kind {
                self.lists[list].tight.get_or_insert(tight);
            }
        }
    }

    fn finish_inline(&mut self) {
        if let Some(cur) = self.cur.take() {
            if cur.explicit || !cur.pieces.is_empty() {
                self.emit(BlockKind::Text {
                    pieces: cur.pieces,
                    heading: cur.heading,
                });
            }
        }
    }

    fn push_container(&mut self, kind: ContainerKind) {
        self.containers.push(Container {
            parent: self.stack.last().copied(),
            kind,
        });
        self.stack.push(self.containers.len() - 1);
    }

    fn pop_container(&mut self) {
        self.stack.pop();
        self.min_depth = self.min_depth.min(self.stack.len());
        if self.unmarked_from.is_some_and(|i| i >= self.stack.len()) {
            self.unmarked_from = None;
        }
    }

    fn emit(&mut self, kind: BlockKind) {
        let depth = self.stack.len();
        let gap = if self.blocks.is_empty() || std::mem::take(&mut self.after_title) {
            None
        } else {
            let d = self.min_depth.min(depth);
            let tight = d > 0
                && match self.containers[self.stack[d - 1]].kind {
                    ContainerKind::List(l) | ContainerKind::Item { list: l, .. } => {
                        self.lists[l].tight == Some(true)
                    }
                    _ => false,
                };
            if tight {
                None
            } else {
                Some(d)
            }
        };
        self.blocks.push(Block {
            kind,
            container: self.stack.last().copied(),
            marker_from: self.unmarked_from.take().unwrap_or(depth),
            gap,
        });
        self.min_depth = depth;
    }
}

/// Languages whose blocks can be typed into the console.
pub(crate) fn is_shell(lang: &str) -> bool {
    matches!(
        lang.to_ascii_lowercase().as_str(),
        "bash" | "sh" | "shell" | "console" | "zsh" | "shell-session"
    )
}
