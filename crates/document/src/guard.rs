//! What an HTML page may cost, bounded before the parser sees it.
//!
//! html5ever builds the tree the HTML standard asks for, and some shapes
//! make that expensive: every start tag checks scopes by walking the stack
//! of open elements (so `<div>` nested 190,000 deep costs the square of the
//! depth), an unclosed formatting element is re-created in every following
//! block (`<p><b>` repeated builds several elements per repetition), a tag's
//! attributes are checked against each other for duplicates (the square of
//! their number), and every element costs a tree node of a few hundred
//! bytes whatever its size in the source.
//!
//! This pass reads the page once with a streaming tokenizer (html5gum,
//! linear in the input) and follows the tree builder's stack of open
//! elements closely enough to know the depth, the number of nodes, the
//! attributes of each tag and the formatting elements left open. A page
//! within [`Limits`] goes to the parser untouched: every real page we have
//! measured does. A page over them is written again, token by token, with
//! the excess left out — tags past the depth or the node budget, attributes
//! past the cap, comments, end tags that close nothing — and every element
//! the builder would close implicitly closed explicitly, so that the parser
//! sees a well-nested tree no deeper and no bigger than the limits. The text
//! is kept whole. The caller says so in a diagnostic.

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};
use std::collections::HashMap;

/// The bounds a page must keep to be parsed as it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Elements open at once.
    pub depth: usize,
    /// Tree nodes (elements, texts, comments) at least; see [`Limits::nodes_for`].
    pub min_nodes: usize,
    /// Source bytes per tree node allowed beyond `min_nodes`.
    pub bytes_per_node: usize,
    /// Attributes on one tag.
    pub attributes: usize,
    /// Formatting elements (`<b>`, `<font>`, `<a>`…) left open at once.
    pub formatting: usize,
}

impl Limits {
    pub(crate) const PAGE: Limits = Limits {
        depth: 400,
        min_nodes: 50_000,
        bytes_per_node: 48,
        attributes: 256,
        formatting: 24,
    };

    fn nodes_for(&self, len: usize) -> usize {
        self.min_nodes.max(len / self.bytes_per_node)
    }
}

/// Why a page was written again: the first limit it went over.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Overrun {
    Depth(usize),
    Nodes(usize),
    Attributes(usize),
    Formatting(usize),
}

impl std::fmt::Display for Overrun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Overrun::Depth(n) => write!(f, "elements nested over {n} deep"),
            Overrun::Nodes(n) => write!(f, "over {n} elements"),
            Overrun::Attributes(n) => write!(f, "a tag with over {n} attributes"),
            Overrun::Formatting(n) => write!(f, "over {n} formatting elements left open"),
        }
    }
}

/// The page as the parser should see it: `None` when it is within the
/// limits (parse it as it is), else the page written again within them and
/// the first limit it went over.
pub(crate) fn bound(text: &str, limits: Limits) -> Option<(String, Overrun)> {
    if surely_within(text.as_bytes(), &limits) {
        return None;
    }
    let overrun = {
        let mut check = Builder::new(limits, text.len(), false);
        run(text, &mut check);
        check.overrun?
    };
    let mut write = Builder::new(limits, text.len(), true);
    run(text, &mut write);
    Some((write.out, overrun))
}

/// A first look, at the speed of a byte search, that clears the pages
/// which cannot go over any limit (nearly every real one) without the
/// tokenizer. Tags are read by their names and kept on a stack; an end
/// tag closes the element it names only when that is within a few
/// elements of the top and no scope boundary (a table, a cell, a list…)
/// lies between, so it never closes what the tree builder would keep open.
/// It errs one way only — a page it does not clear is read by the
/// tokenizer and the builder — so its bounds are a third of the limits
/// (the builder adds elements the markup does not name: a table's body
/// and row, re-opened formatting). A long tag is not cleared: it may carry
/// more attributes than the cap.
fn surely_within(b: &[u8], limits: &Limits) -> bool {
    type Name = ([u8; 12], usize);
    const REACH: usize = 16;
    let max_nodes = limits.nodes_for(b.len());
    let (mut nodes, mut formatting) = (3usize, 0usize);
    let mut stack: Vec<Name> = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let at = i + off;
        let rest = &b[at + 1..];
        if rest.starts_with(b"!--") {
            nodes += 1;
            if nodes > max_nodes / 3 {
                return false;
            }
            i = comment_end(b, at + 4);
            continue;
        }
        let close = rest.first() == Some(&b'/');
        let start = at + 1 + usize::from(close);
        if !b.get(start).is_some_and(u8::is_ascii_alphabetic) {
            i = at + 1;
            continue;
        }
        let len = b[start..]
            .iter()
            .take_while(|c| !c.is_ascii_whitespace() && !matches!(c, b'/' | b'>'))
            .count();
        let Some((end, attributes)) = tag_end(b, start + len) else {
            return false;
        };
        if attributes > limits.attributes {
            return false;
        }
        let mut name: Name = ([0u8; 12], len.min(12));
        for (n, c) in name.0.iter_mut().zip(&b[start..start + name.1]) {
            *n = c.to_ascii_lowercase();
        }
        if len > 12 {
            name.1 = 0; // no name this pass tells apart is that long
        }
        let name_of = |n: &Name| -> [u8; 12] { n.0 };
        let bytes = &name.0[..name.1];
        i = end + 1;
        if close {
            let found = stack
                .iter()
                .rev()
                .take(REACH)
                .position(|open| open.1 == name.1 && name_of(open) == name.0);
            let blocked = |k: usize| {
                stack
                    .iter()
                    .rev()
                    .take(k)
                    .any(|open| is_boundary(&open.0[..open.1]))
            };
            match found {
                Some(k) if !blocked(k) => {
                    nodes += 1; // the text after it
                    for open in stack.drain(stack.len() - k - 1..) {
                        if is_formatting(&open.0[..open.1]) {
                            formatting = formatting.saturating_sub(1);
                        }
                    }
                }
                // `</p>` and `</br>` that close nothing make an element.
                None if matches!(bytes, b"p" | b"br") => {
                    nodes += 1;
                    if nodes > max_nodes / 3 {
                        return false;
                    }
                }
                _ => {}
            }
            continue;
        }
        // The element, its text, and what the builder may re-open in it.
        nodes += 2 + formatting;
        if is_void(bytes) {
            continue;
        }
        if is_formatting(bytes) {
            formatting += 1;
        }
        stack.push(name);
        if stack.len() > limits.depth / 3
            || formatting > limits.formatting / 3
            || nodes > max_nodes / 3
        {
            return false;
        }
        if is_raw_text(bytes) || bytes == b"textarea" || bytes == b"title" {
            // Its text holds no tags: on to its end tag.
            let Some(close) = find_end_tag(&b[i..], bytes) else {
                return true;
            };
            i += close;
        }
    }
    true
}

/// Where the tag whose attributes start at `from` ends (its `>`, outside
/// quotes), and how many attributes it has at most; `None` when it never
/// ends.
fn tag_end(b: &[u8], from: usize) -> Option<(usize, usize)> {
    // A quote opens a value only right after `=` (spaces between): in a
    // name it is a character like any other.
    let (mut attributes, mut quote, mut apart, mut after_eq) = (0usize, None, true, false);
    for (k, &c) in b[from..].iter().enumerate() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                apart = true;
            }
            Some(_) => {}
            None if c == b'>' => return Some((from + k, attributes)),
            None if c.is_ascii_whitespace() => apart = true,
            None if after_eq && (c == b'"' || c == b'\'') => {
                quote = Some(c);
                after_eq = false;
            }
            None => {
                after_eq = c == b'=';
                if c == b'/' {
                    apart = true;
                } else {
                    attributes += usize::from(apart);
                    apart = false;
                }
            }
        }
    }
    None
}

/// Elements past which the tree builder looks for no element to close.
fn is_boundary(name: &[u8]) -> bool {
    matches!(
        name,
        b"applet"
            | b"caption"
            | b"html"
            | b"table"
            | b"tbody"
            | b"thead"
            | b"tfoot"
            | b"tr"
            | b"td"
            | b"th"
            | b"marquee"
            | b"object"
            | b"template"
            | b"svg"
            | b"math"
            | b"ul"
            | b"ol"
            | b"dl"
            | b"button"
            | b"select"
    )
}

/// Where the comment whose text starts at `from` ends: after `-->` or
/// `--!>`, or at once for `<!-->` and `<!--->`; the input's end when it
/// does not.
fn comment_end(b: &[u8], from: usize) -> usize {
    if b.get(from) == Some(&b'>') {
        return from + 1;
    }
    if b.get(from..from + 2) == Some(b"->") {
        return from + 2;
    }
    let mut at = from;
    while let Some(off) = memchr::memmem::find(&b[at..], b"--") {
        let dash = at + off;
        match b.get(dash + 2) {
            Some(b'>') => return dash + 3,
            Some(b'!') if b.get(dash + 3) == Some(&b'>') => return dash + 4,
            _ => at = dash + 1,
        }
    }
    b.len()
}

/// Where `</name` starts in `b` (any case).
fn find_end_tag(b: &[u8], name: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(off) = memchr::memmem::find(&b[from..], b"</") {
        let at = from + off;
        let tag = &b[at + 2..];
        if tag.len() >= name.len() && tag[..name.len()].eq_ignore_ascii_case(name) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

fn run(text: &str, builder: &mut Builder) {
    let mut emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| {
        builder.event(event);
        None::<()>
    });
    emitter.naively_switch_states(true);
    for token in Tokenizer::new_with_emitter(text, emitter) {
        let Ok(()) = token;
        // The builder says when the rest cannot change the answer.
    }
}

/// Elements that have no content and no end tag.
fn is_void(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"basefont"
            | b"bgsound"
            | b"br"
            | b"col"
            | b"embed"
            | b"frame"
            | b"hr"
            | b"img"
            | b"input"
            | b"keygen"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
    )
}

/// The formatting elements the tree builder re-opens after a block closes them.
fn is_formatting(name: &[u8]) -> bool {
    matches!(
        name,
        b"a" | b"b"
            | b"big"
            | b"code"
            | b"em"
            | b"font"
            | b"i"
            | b"nobr"
            | b"s"
            | b"small"
            | b"strike"
            | b"strong"
            | b"tt"
            | b"u"
    )
}

/// Start tags that close an open `<p>`.
fn closes_p(name: &[u8]) -> bool {
    matches!(
        name,
        b"address"
            | b"article"
            | b"aside"
            | b"blockquote"
            | b"center"
            | b"details"
            | b"dialog"
            | b"dir"
            | b"div"
            | b"dl"
            | b"fieldset"
            | b"figcaption"
            | b"figure"
            | b"footer"
            | b"form"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"header"
            | b"hgroup"
            | b"hr"
            | b"listing"
            | b"main"
            | b"menu"
            | b"nav"
            | b"ol"
            | b"p"
            | b"pre"
            | b"section"
            | b"summary"
            | b"table"
            | b"ul"
            | b"li"
            | b"dd"
            | b"dt"
            | b"xmp"
            | b"plaintext"
    )
}

fn is_heading(name: &[u8]) -> bool {
    matches!(name, b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6")
}

/// Elements whose text the tokenizer reads raw: written back unescaped.
fn is_raw_text(name: &[u8]) -> bool {
    matches!(
        name,
        b"script"
            | b"style"
            | b"iframe"
            | b"xmp"
            | b"noembed"
            | b"noframe"
            | b"noscript"
            | b"plaintext"
    )
}

/// Elements the tree builder merges into the ones it always has.
fn is_root(name: &[u8]) -> bool {
    matches!(name, b"html" | b"head" | b"body")
}

/// How far down the stack an implied end tag is looked for: enough for any
/// real page, and a constant, so that the pass stays linear.
const SCAN: usize = 64;

/// A formatting element the builder keeps in its list of active ones.
struct Active {
    name: Box<[u8]>,
    on_stack: bool,
}

struct Builder {
    limits: Limits,
    max_nodes: usize,
    /// Write the page again (else only check it).
    writing: bool,
    out: String,
    overrun: Option<Overrun>,

    stack: Vec<Box<[u8]>>,
    /// How many of each name are on the stack.
    open: HashMap<Box<[u8]>, usize>,
    /// Start tags left out, by name: their end tags are left out too.
    dropped: HashMap<Box<[u8]>, usize>,
    active: Vec<Active>,
    nodes: usize,
    /// The start tag being read: its name, whether it is kept, its attributes.
    tag: Option<Box<[u8]>>,
    keep_tag: bool,
    attributes: usize,
    keep_attribute: bool,
    /// Inside an element whose text is raw (script, style…): whether it was kept.
    raw: Option<(Box<[u8]>, bool)>,
    foreign: usize,
}

impl Builder {
    fn new(limits: Limits, len: usize, writing: bool) -> Self {
        Builder {
            limits,
            max_nodes: limits.nodes_for(len),
            writing,
            out: if writing {
                String::with_capacity(len)
            } else {
                String::new()
            },
            overrun: None,
            stack: Vec::new(),
            open: HashMap::new(),
            dropped: HashMap::new(),
            active: Vec::new(),
            // html, head, body.
            nodes: 3,
            tag: None,
            keep_tag: false,
            attributes: 0,
            keep_attribute: false,
            raw: None,
            foreign: 0,
        }
    }

    fn over(&mut self, o: Overrun) {
        if self.overrun.is_none() {
            self.overrun = Some(o);
        }
    }

    /// Whether one more node is within the budget (checking: counts it).
    fn room(&mut self) -> bool {
        if self.nodes >= self.max_nodes {
            self.over(Overrun::Nodes(self.max_nodes));
            return false;
        }
        self.nodes += 1;
        true
    }

    fn event(&mut self, event: CallbackEvent<'_>) {
        if !self.writing && self.overrun.is_some() {
            return;
        }
        match event {
            CallbackEvent::OpenStartTag { name } => self.open_start(name),
            CallbackEvent::AttributeName { name } => {
                if self.tag.is_none() {
                    return; // attributes on an end tag: ignored by the builder too
                }
                self.attributes += 1;
                self.keep_attribute = self.keep_tag && self.attributes <= self.limits.attributes;
                if self.attributes > self.limits.attributes {
                    self.over(Overrun::Attributes(self.limits.attributes));
                }
                if self.writing && self.keep_attribute {
                    self.out.push(' ');
                    push_name(&mut self.out, name);
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if self.writing && self.keep_attribute && self.tag.is_some() {
                    self.out.push_str("=\"");
                    push_escaped(&mut self.out, value, true);
                    self.out.push('"');
                }
            }
            CallbackEvent::CloseStartTag { self_closing } => self.close_start(self_closing),
            CallbackEvent::EndTag { name } => self.end_tag(name),
            CallbackEvent::String { value } => self.text(value),
            CallbackEvent::Comment { .. } => {
                // Kept in the page as it is; never written again.
                if !self.writing {
                    self.room();
                }
            }
            CallbackEvent::Doctype { name, .. } => {
                if self.writing {
                    self.out.push_str("<!DOCTYPE ");
                    push_name(&mut self.out, name);
                    self.out.push('>');
                }
            }
            CallbackEvent::Error(_) => {}
        }
    }

    fn open_start(&mut self, name: &[u8]) {
        self.tag = Some(name.into());
        self.attributes = 0;
        self.keep_tag = false;
        if is_root(name) {
            // Merged into the html, head and body the builder always has:
            // written without attributes, never a node of its own.
            self.keep_tag = false;
            if self.writing {
                self.out.push('<');
                push_name(&mut self.out, name);
            }
            return;
        }
        self.implied_ends(name);
        self.reconstruct();
        let void = is_void(name);
        if !void && self.stack.len() >= self.limits.depth {
            self.over(Overrun::Depth(self.limits.depth));
        } else if is_formatting(name) && self.active.len() >= self.limits.formatting {
            self.over(Overrun::Formatting(self.limits.formatting));
        } else if name == b"form" && self.open.get(name).is_some_and(|&n| n > 0) {
            // A form in a form is ignored by the builder.
        } else {
            self.keep_tag = self.room();
        }
        if !self.keep_tag {
            if !void {
                *self.dropped.entry(name.into()).or_default() += 1;
            }
            return;
        }
        if self.writing {
            self.out.push('<');
            push_name(&mut self.out, name);
        }
    }

    fn close_start(&mut self, self_closing: bool) {
        let Some(name) = self.tag.take() else { return };
        if is_root(&name) {
            if self.writing {
                self.out.push('>');
            }
            return;
        }
        if is_raw_text(&name) || name.as_ref() == b"textarea" || name.as_ref() == b"title" {
            self.raw = Some((name.clone(), self.keep_tag));
        }
        if !self.keep_tag {
            return;
        }
        if self.writing {
            self.out.push_str(if self_closing && self.foreign > 0 {
                "/>"
            } else {
                ">"
            });
        }
        if is_void(&name) || (self_closing && self.foreign > 0) {
            return;
        }
        if matches!(name.as_ref(), b"svg" | b"math") {
            self.foreign += 1;
        }
        if is_formatting(&name) {
            // The builder's "Noah's Ark": no more than three of a kind.
            let same = self.active.iter().filter(|a| a.name == name).count();
            if same >= 3
                && let Some(i) = self
                    .active
                    .iter()
                    .position(|a| a.name == name && !a.on_stack)
            {
                self.active.remove(i);
            }
            self.active.push(Active {
                name: name.clone(),
                on_stack: true,
            });
        }
        self.push(name);
    }

    fn push(&mut self, name: Box<[u8]>) {
        *self.open.entry(name.clone()).or_default() += 1;
        self.stack.push(name);
    }

    /// Pops the top element; `explicit` when its own end tag closes it.
    fn pop(&mut self, explicit: bool) {
        let Some(name) = self.stack.pop() else { return };
        if let Some(n) = self.open.get_mut(&name) {
            *n -= 1;
        }
        if matches!(name.as_ref(), b"svg" | b"math") {
            self.foreign = self.foreign.saturating_sub(1);
        }
        let formatting = is_formatting(&name);
        if self.writing && !explicit {
            // Closed here, so that the parser closes it here too and has
            // nothing to re-open later.
            self.out.push_str("</");
            push_name(&mut self.out, &name);
            self.out.push('>');
        }
        if formatting
            && let Some(i) = self
                .active
                .iter()
                .rposition(|a| a.name == name && a.on_stack)
        {
            if self.writing || explicit {
                self.active.remove(i);
            } else {
                self.active[i].on_stack = false;
            }
        }
    }

    /// Pops down to the topmost `name`, if it is within reach.
    fn pop_to(&mut self, depth_from_top: usize) {
        for _ in 0..depth_from_top {
            self.pop(false);
        }
        self.pop(false);
    }

    /// The element the builder closes before this start tag, if any.
    fn implied_ends(&mut self, name: &[u8]) {
        let find = |stack: &[Box<[u8]>], targets: &[&[u8]], stops: &[&[u8]]| -> Option<usize> {
            for (i, open) in stack.iter().rev().take(SCAN).enumerate() {
                if targets.contains(&open.as_ref()) {
                    return Some(i);
                }
                if stops.contains(&open.as_ref()) {
                    return None;
                }
            }
            None
        };
        const SCOPE: &[&[u8]] = &[
            b"applet",
            b"caption",
            b"table",
            b"td",
            b"th",
            b"marquee",
            b"object",
            b"template",
            b"button",
            b"svg",
            b"math",
        ];
        if closes_p(name)
            && let Some(i) = find(&self.stack, &[b"p"], SCOPE)
        {
            self.pop_to(i);
        }
        let hit = match name {
            b"li" => find(
                &self.stack,
                &[b"li"],
                &[b"ul", b"ol", b"menu", b"table", b"td", b"th"],
            ),
            b"dd" | b"dt" => find(
                &self.stack,
                &[b"dd", b"dt"],
                &[b"dl", b"table", b"td", b"th"],
            ),
            b"option" | b"optgroup" => {
                find(&self.stack, &[b"option"], &[b"select", b"datalist"]).filter(|&i| i == 0)
            }
            b"tr" => find(&self.stack, &[b"tr"], &[b"table"]),
            b"td" | b"th" => find(&self.stack, &[b"td", b"th"], &[b"tr", b"table"]),
            b"tbody" | b"thead" | b"tfoot" => {
                find(&self.stack, &[b"tbody", b"thead", b"tfoot"], &[b"table"])
            }
            b"table" => find(&self.stack, &[b"table"], &[b"td", b"th", b"caption"]),
            b"a" | b"nobr" | b"button" | b"select" => {
                find(&self.stack, &[name], &[b"table", b"td", b"th"])
            }
            _ if is_heading(name) => self.stack.last().filter(|top| is_heading(top)).map(|_| 0),
            _ => None,
        };
        if let Some(i) = hit {
            self.pop_to(i);
        }
    }

    /// The builder re-opens the formatting elements a block closed.
    fn reconstruct(&mut self) {
        if self.active.iter().all(|a| a.on_stack) {
            return;
        }
        for i in 0..self.active.len() {
            if self.active[i].on_stack {
                continue;
            }
            if !self.room() || self.stack.len() >= self.limits.depth {
                self.over(Overrun::Nodes(self.max_nodes));
                return;
            }
            self.active[i].on_stack = true;
            let name = self.active[i].name.clone();
            self.push(name);
        }
    }

    fn end_tag(&mut self, name: &[u8]) {
        if self
            .raw
            .as_ref()
            .is_some_and(|(raw, _)| raw.as_ref() == name)
        {
            self.raw = None;
        }
        if let Some(n) = self.dropped.get_mut(name)
            && *n > 0
        {
            *n -= 1;
            return;
        }
        if is_root(name) {
            return;
        }
        if self.open.get(name).is_some_and(|&n| n > 0) {
            while let Some(top) = self.stack.last() {
                if top.as_ref() == name {
                    if self.writing {
                        self.out.push_str("</");
                        push_name(&mut self.out, name);
                        self.out.push('>');
                    }
                    self.pop(true);
                    break;
                }
                self.pop(false);
            }
            return;
        }
        if is_formatting(name)
            && let Some(i) = self.active.iter().rposition(|a| a.name.as_ref() == name)
        {
            self.active.remove(i);
            return;
        }
        // An end tag that closes nothing: `</p>` and `</br>` make an
        // element of their own; left out when writing.
        if (name == b"p" || name == b"br") && !self.writing {
            self.room();
        }
    }

    fn text(&mut self, value: &[u8]) {
        if let Some((name, kept)) = &self.raw {
            if self.writing && *kept {
                if is_raw_text(name) {
                    self.out.push_str(&String::from_utf8_lossy(value));
                } else {
                    // title, textarea: their entities are read again.
                    push_escaped(&mut self.out, value, false);
                }
            }
            return;
        }
        if value.iter().any(|b| !b.is_ascii_whitespace()) {
            self.reconstruct();
        }
        if self.writing {
            push_escaped(&mut self.out, value, false);
        } else {
            self.room();
        }
    }
}

fn push_name(out: &mut String, name: &[u8]) {
    // Names are written back only where the tokenizer read one; anything
    // that could end the tag is left out.
    for c in String::from_utf8_lossy(name).chars() {
        if !c.is_whitespace() && !matches!(c, '<' | '>' | '/' | '=' | '"' | '\'') {
            out.push(c);
        }
    }
}

fn push_escaped(out: &mut String, value: &[u8], attribute: bool) {
    for c in String::from_utf8_lossy(value).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limits = Limits {
        depth: 20,
        min_nodes: 200,
        bytes_per_node: 1_000_000,
        attributes: 8,
        formatting: 4,
    };

    fn bound_small(text: &str) -> Option<(String, Overrun)> {
        let mut check = Builder::new(SMALL, text.len(), false);
        run(text, &mut check);
        let overrun = check.overrun?;
        let mut write = Builder::new(SMALL, text.len(), true);
        run(text, &mut write);
        Some((write.out, overrun))
    }

    fn depth_of(html: &str) -> usize {
        let page = dom_query::Document::from(html);
        let mut deepest = 0;
        for node in page.select("*").nodes() {
            deepest = deepest.max(node.ancestors(None).len());
        }
        deepest
    }

    #[test]
    fn the_first_look_clears_real_pages_and_no_hostile_one() {
        let real = "<!DOCTYPE html><html><head><title>A <b> B</title><script>if (a<b) { x = '<div>'; }</script></head>\
                    <body><ul><li>one</li><li>two</li></ul><p>Text <b>bold</b> <img src=x><br></p><!-- <div><div> --></body></html>";
        assert!(surely_within(real.as_bytes(), &Limits::PAGE));
        let deep = "<div>".repeat(200);
        assert!(!surely_within(deep.as_bytes(), &Limits::PAGE));
        let formatting: String = (0..10)
            .map(|i| format!("<b class=c{i}>"))
            .collect::<String>()
            + &"<p>x".repeat(100);
        assert!(!surely_within(formatting.as_bytes(), &Limits::PAGE));
        let many = format!("<div {}>x</div>", "a=b ".repeat(600));
        assert!(!surely_within(many.as_bytes(), &Limits::PAGE));
        // Attributes after a quoted `>` are counted too.
        let hidden = format!("<div title=\">\" {}>x</div>", "a ".repeat(600));
        assert!(!surely_within(hidden.as_bytes(), &Limits::PAGE));
        // A quote in a name opens nothing: the tags after it are tags.
        let name_quote = format!("<x \">{}\">", "<div>".repeat(200));
        assert!(!surely_within(name_quote.as_bytes(), &Limits::PAGE));
        let path = format!("<svg><path d=\"{}\"/></svg>", "1 2 ".repeat(2000));
        assert!(
            surely_within(path.as_bytes(), &Limits::PAGE),
            "one long value is one attribute"
        );
        let unclosed_script = "<script>".to_string() + &"<div>".repeat(500);
        assert!(
            surely_within(unclosed_script.as_bytes(), &Limits::PAGE),
            "all script text"
        );
    }

    #[test]
    fn a_small_page_that_multiplies_formatting_is_bounded_too() {
        // 1,000 distinct formatting elements and 1,000 paragraphs: 20 KB
        // that the builder would make a million elements of.
        let page: String = (0..1000)
            .map(|i| format!("<b class=c{i}>"))
            .collect::<String>()
            + &"<p>x".repeat(1000);
        let (out, why) = bound(&page, Limits::PAGE).expect("over the limits");
        assert_eq!(why, Overrun::Formatting(Limits::PAGE.formatting));
        let parsed = dom_query::Document::from(out.as_str());
        assert!(
            parsed.select("*").length() < 5_000,
            "{}",
            parsed.select("*").length()
        );
    }

    #[test]
    fn a_real_page_is_left_as_it_is() {
        let page = "<!DOCTYPE html><html><head><title>A &amp; B</title><script>if (a < b) {}</script></head>\
                    <body><ul><li>one<li>two</ul><p>Text <b>bold</b><p>more<table><tr><td>x<td>y</table></body></html>";
        assert_eq!(bound_small(page), None);
    }

    #[test]
    fn deep_nesting_is_cut_to_the_limit_and_the_text_kept() {
        let page = format!("{}deep text{}", "<div>".repeat(500), "</div>".repeat(500));
        let (out, why) = bound_small(&page).expect("over the limit");
        assert_eq!(why, Overrun::Depth(20));
        assert!(out.contains("deep text"));
        assert!(depth_of(&out) <= 20 + 3, "{}", depth_of(&out));
    }

    #[test]
    fn unclosed_formatting_in_blocks_stops_multiplying() {
        let page = "<p><b>x".repeat(300);
        let (out, why) = bound_small(&page).expect("over the limit");
        assert!(
            matches!(why, Overrun::Nodes(_) | Overrun::Formatting(_)),
            "{why:?}"
        );
        let parsed = dom_query::Document::from(out.as_str());
        let elements = parsed.select("*").length();
        assert!(elements <= 200 + 10, "{elements} elements");
        assert_eq!(parsed.select("body").text().matches('x').count(), 300);
    }

    #[test]
    fn attributes_past_the_cap_are_left_out() {
        let attributes: String = (0..50).map(|i| format!(" a{i}=\"v{i}\"")).collect();
        let page = format!("<div{attributes}>kept</div>");
        let (out, why) = bound_small(&page).expect("over the limit");
        assert_eq!(why, Overrun::Attributes(8));
        assert!(out.contains("a7=\"v7\"") && !out.contains("a8="), "{out}");
        assert!(out.contains("kept"));
    }

    #[test]
    fn text_and_scripts_are_written_back_faithfully() {
        let page = format!(
            "<html><head><script>if (a < b && c) {{}}</script></head><body>{}<p>a &lt; b &amp; \"c\"</p></body></html>",
            "<span>".repeat(40)
        );
        let (out, _) = bound_small(&page).expect("over the limit");
        assert!(out.contains("<script>if (a < b && c) {}</script>"), "{out}");
        let parsed = dom_query::Document::from(out.as_str());
        assert!(parsed.select("body").text().contains("a < b & \"c\""));
    }

    #[test]
    fn a_tag_cut_for_depth_takes_its_end_tag_with_it() {
        let page = format!(
            "{}<i>inner</i>{}<p>after",
            "<div>".repeat(30),
            "</div>".repeat(30)
        );
        let (out, _) = bound_small(&page).expect("over the limit");
        let parsed = dom_query::Document::from(out.as_str());
        // The paragraph after the nest is not inside it.
        assert_eq!(parsed.select("body > p").length(), 1, "{out}");
    }
}
