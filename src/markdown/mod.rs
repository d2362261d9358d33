//! Lesson pane Markdown: a pulldown-cmark walker to ratatui Text, syntect highlighting.
