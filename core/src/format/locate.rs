//! Finds the line and column of a key path in a TOML or JSON document.
//!
//! Validation works on parsed values and names problems by key path (`flows[3].to`); this module
//! maps the path back to the text, so that every message also names a line. It runs only when
//! there are problems to report, and never fails: a path it cannot find keeps no line.

#[cfg(feature = "toml")]
use toml::de::{DeTable, DeValue};

use super::{Format, line_col};
use crate::diagnostic::{Diagnostic, PathSegment};

/// Fills in the line and column of every diagnostic about `text` (those whose origin is `name`
/// and that have none yet).
pub fn locate(diagnostics: &mut [Diagnostic], name: &str, text: &str, format: Format) {
    let pending = diagnostics
        .iter()
        .any(|d| d.location.origin == name && d.location.line.is_none());
    if !pending {
        return;
    }
    #[cfg(feature = "toml")]
    let toml_doc = match format {
        Format::Toml => DeTable::parse(text).ok(),
        Format::Json => None,
    };
    #[cfg(not(feature = "toml"))]
    let toml_doc: Option<std::convert::Infallible> = None;
    for d in diagnostics.iter_mut() {
        if d.location.origin != name || d.location.line.is_some() {
            continue;
        }
        let offset = match (&toml_doc, format) {
            #[cfg(feature = "toml")]
            (Some(doc), _) => toml_offset(doc.get_ref(), &d.location.path),
            #[cfg(not(feature = "toml"))]
            (Some(never), _) => match *never {},
            (None, Format::Json) => json_offset(text, &d.location.path),
            (None, Format::Toml) => None,
        };
        if let Some(offset) = offset {
            let (line, col) = line_col(text, offset);
            d.location.line = Some(line);
            d.location.column = Some(col);
        }
    }
}

#[cfg(feature = "toml")]
/// Byte offset of the deepest part of `path` found in a TOML document.
fn toml_offset(doc: &DeTable<'_>, path: &[PathSegment]) -> Option<usize> {
    let mut best = None;
    let mut table = Some(doc);
    let mut array: Option<&[toml::Spanned<DeValue<'_>>]> = None;
    for seg in path {
        let found = match seg {
            PathSegment::Key(k) => table.and_then(|t| {
                t.iter()
                    .find(|(key, _)| key.get_ref().as_ref() == k.as_str())
                    .map(|(key, value)| (key.span().start, value))
            }),
            PathSegment::Index(i) => array.and_then(|a| a.get(*i)).map(|v| (v.span().start, v)),
        };
        let Some((offset, value)) = found else { break };
        best = Some(offset);
        table = value.get_ref().as_table();
        array = value.get_ref().as_array().map(|a| &a[..]);
    }
    best
}

/// Byte offset of the deepest part of `path` found in a JSON document, by a small scanner that
/// walks the value structure without building it.
fn json_offset(text: &str, path: &[PathSegment]) -> Option<usize> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let mut best = None;
    scanner.skip_ws();
    for seg in path {
        let found = match seg {
            PathSegment::Key(k) => scanner.find_key(k),
            PathSegment::Index(i) => scanner.find_index(*i),
        };
        match found {
            Some(offset) => best = Some(offset),
            None => break,
        }
    }
    best
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// At an object: finds `key` and leaves the position at its value. Returns the key's offset.
    fn find_key(&mut self, key: &str) -> Option<usize> {
        if self.peek()? != b'{' {
            return None;
        }
        self.pos += 1;
        loop {
            self.skip_ws();
            match self.peek()? {
                b'}' => return None,
                b',' => {
                    self.pos += 1;
                    continue;
                }
                b'"' => {}
                _ => return None,
            }
            let start = self.pos;
            let name = self.string()?;
            self.skip_ws();
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            self.skip_ws();
            if name == key {
                return Some(start);
            }
            self.skip_value()?;
        }
    }

    /// At an array: finds element `index` and leaves the position at it. Returns its offset.
    fn find_index(&mut self, index: usize) -> Option<usize> {
        if self.peek()? != b'[' {
            return None;
        }
        self.pos += 1;
        let mut i = 0;
        loop {
            self.skip_ws();
            match self.peek()? {
                b']' => return None,
                b',' => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            if i == index {
                return Some(self.pos);
            }
            self.skip_value()?;
            i += 1;
        }
    }

    /// Reads a string at the position (which is at its opening quote), unescaping only what key
    /// comparison needs.
    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let start = self.pos;
        let mut escaped = false;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => {
                    let raw = std::str::from_utf8(&self.bytes[start..self.pos - 1]).ok()?;
                    return Some(raw.replace("\\\"", "\"").replace("\\\\", "\\"));
                }
                _ => {}
            }
        }
        None
    }

    /// Skips one value of any kind.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_ws();
        match self.peek()? {
            b'"' => {
                self.string()?;
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                self.pos += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
            }
            _ => {
                while !matches!(self.peek()?, b',' | b'}' | b']') {
                    self.pos += 1;
                }
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;

    fn path(p: &[&str]) -> Vec<PathSegment> {
        p.iter()
            .map(|s| match s.parse::<usize>() {
                Ok(i) => PathSegment::Index(i),
                Err(_) => PathSegment::Key((*s).to_owned()),
            })
            .collect()
    }

    fn line_of(text: &str, format: Format, p: &[&str]) -> Option<(u32, u32)> {
        let mut d = [Diagnostic::error(Location::at("m", path(p)), "x")];
        locate(&mut d, "m", text, format);
        Some((d[0].location.line?, d[0].location.column?))
    }

    #[test]
    fn toml_paths_find_their_lines() {
        let text = "[meta]\nname = \"x\"\n\n[[flows]]\nfrom = \"a\"\nto = \"b\"\n\n[[flows]]\nfrom = \"c\"\nto = \"d\"\n";
        assert_eq!(
            line_of(text, Format::Toml, &["flows", "1", "to"]),
            Some((10, 1))
        );
        assert_eq!(
            line_of(text, Format::Toml, &["flows", "0", "from"]),
            Some((5, 1))
        );
        assert_eq!(line_of(text, Format::Toml, &["meta", "name"]), Some((2, 1)));
        // A key that is not there keeps the deepest part that is.
        // An element of an array of tables is found at its `[[flows]]` header.
        assert_eq!(
            line_of(text, Format::Toml, &["flows", "1", "unit"]).map(|p| p.0),
            Some(8)
        );
    }

    #[test]
    fn toml_inline_arrays_find_their_lines() {
        let text = "flows = [\n  { from = \"a\" },\n  { from = \"b\", to = \"c\" },\n]\n";
        assert_eq!(
            line_of(text, Format::Toml, &["flows", "1", "to"]),
            Some((3, 17))
        );
    }

    #[test]
    fn json_paths_find_their_lines() {
        let text = "{\"meta\": {\"name\": \"a \\\" b\"},\n \"flows\": [\n  {\"from\": \"a\", \"x\": [1, {\"y\": \"]\"}]},\n  {\"from\": \"b\",\n   \"to\": \"c\"}]}";
        assert_eq!(
            line_of(text, Format::Json, &["flows", "1", "to"]),
            Some((5, 4))
        );
        assert_eq!(
            line_of(text, Format::Json, &["flows", "0", "from"]),
            Some((3, 4))
        );
        assert_eq!(
            line_of(text, Format::Json, &["meta", "name"]),
            Some((1, 11))
        );
    }

    #[test]
    fn broken_json_never_panics() {
        for text in [
            "{",
            "{\"a\": [",
            "{\"a\" 1}",
            "[1, 2",
            "\"",
            "{\"a\": {\"b\": ]]]}",
        ] {
            let _ = line_of(text, Format::Json, &["a", "0", "b"]);
        }
    }
}
