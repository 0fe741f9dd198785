//! A little SVG canvas for the figures, drawn into the same safe tree as the
//! notes ([`crate::markdown::Element`]): tag and attribute names are
//! constants here, and every label is a text node, so nothing a figure says
//! can become markup.
//!
//! Shapes carry classes, never colours: the stylesheet paints `.fig-ec2`,
//! `.fig-fargate`, `.fig-eks` and the rest with the sandbox's own colour
//! variables, so a figure follows the light and dark themes as the
//! sandbox does.

use crate::markdown::{Element, Node};

/// Roughly how wide a character of the figures' 13 px sans-serif is, for
/// centring and for sizing a box to its label (SVG text does not wrap).
pub(crate) const CHAR_WIDTH: i32 = 7;

pub(crate) struct Canvas {
    pub(crate) width: i32,
    pub(crate) height: i32,
    shapes: Vec<Node>,
}

fn element(tag: &'static str, attrs: Vec<(&'static str, String)>) -> Element {
    let mut element = Element::new(tag);
    element.attrs = attrs;
    element
}

impl Canvas {
    pub(crate) fn new(width: i32, height: i32) -> Canvas {
        Canvas {
            width,
            height,
            shapes: Vec::new(),
        }
    }

    fn push(&mut self, element: Element) {
        self.shapes.push(Node::Element(element));
    }

    /// A box with rounded corners, as the sandbox draws instances and lanes.
    pub(crate) fn rect(&mut self, x: i32, y: i32, width: i32, height: i32, class: &str) {
        self.push(element(
            "rect",
            vec![
                ("x", x.to_string()),
                ("y", y.to_string()),
                ("width", width.to_string()),
                ("height", height.to_string()),
                ("rx", "6".into()),
                ("class", class.to_string()),
            ],
        ));
    }

    /// A line of text; `anchor` is `start`, `middle` or `end`.
    pub(crate) fn text(&mut self, x: i32, y: i32, text: &str, anchor: &str, class: &str) {
        let mut label = element(
            "text",
            vec![
                ("x", x.to_string()),
                ("y", y.to_string()),
                ("text-anchor", anchor.to_string()),
                ("class", class.to_string()),
            ],
        );
        label.children.push(Node::Text(text.to_string()));
        self.push(label);
    }

    /// Lines of text centred on `x`, the first at `y`, 16 px apart.
    pub(crate) fn centred_lines(&mut self, x: i32, y: i32, lines: &[&str], class: &str) {
        for (index, line) in lines.iter().enumerate() {
            self.text(x, y + 16 * index as i32, line, "middle", class);
        }
    }

    /// A box with lines of text centred in it.
    pub(crate) fn labelled_box(&mut self, area: (i32, i32, i32, i32), lines: &[&str], class: &str) {
        let (x, y, width, height) = area;
        self.rect(x, y, width, height, class);
        let first = y + height / 2 - 8 * (lines.len() as i32 - 1) + 5;
        let text_class = if class.contains("fig-strong") {
            "fig-strong"
        } else {
            ""
        };
        self.centred_lines(x + width / 2, first, lines, text_class);
    }

    pub(crate) fn line(&mut self, from: (i32, i32), to: (i32, i32), class: &str) {
        self.push(element(
            "line",
            vec![
                ("x1", from.0.to_string()),
                ("y1", from.1.to_string()),
                ("x2", to.0.to_string()),
                ("y2", to.1.to_string()),
                ("class", class.to_string()),
            ],
        ));
    }

    /// A line with an arrowhead at `to`, drawn as a polygon (no `<marker>`,
    /// whose id would have to be unique on a page with many figures).
    pub(crate) fn arrow(&mut self, from: (i32, i32), to: (i32, i32)) {
        self.line(from, to, "fig-arrow");
        let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
        let length = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ux, uy) = (dx / length, dy / length);
        let (tx, ty) = (to.0 as f64, to.1 as f64);
        let back = (tx - 9.0 * ux, ty - 9.0 * uy);
        let left = (back.0 - 4.5 * uy, back.1 + 4.5 * ux);
        let right = (back.0 + 4.5 * uy, back.1 - 4.5 * ux);
        self.push(element(
            "polygon",
            vec![
                (
                    "points",
                    format!(
                        "{tx:.0},{ty:.0} {:.1},{:.1} {:.1},{:.1}",
                        left.0, left.1, right.0, right.1
                    ),
                ),
                ("class", "fig-arrowhead".into()),
            ],
        ));
    }

    /// An arrow with a label just above its middle.
    pub(crate) fn labelled_arrow(&mut self, from: (i32, i32), to: (i32, i32), label: &str) {
        self.arrow(from, to);
        if label.is_empty() {
            return;
        }
        let (x, y) = ((from.0 + to.0) / 2, (from.1 + to.1) / 2 - 6);
        self.text(x, y, label, "middle", "fig-small");
    }

    /// A disc (a task or a pod, as the sandbox's chips are, drawn round
    /// here so that it reads as a thing inside a box).
    pub(crate) fn disc(&mut self, x: i32, y: i32, radius: i32, class: &str) {
        self.push(element(
            "circle",
            vec![
                ("cx", x.to_string()),
                ("cy", y.to_string()),
                ("r", radius.to_string()),
                ("class", class.to_string()),
            ],
        ));
    }

    /// The `<svg>` element: an image for assistive technology, named by its
    /// `<title>` and described by the figure's words beside it.
    pub(crate) fn finish(self, id: &str, title: &str) -> Element {
        let mut svg = element(
            "svg",
            vec![
                ("viewBox", format!("0 0 {} {}", self.width, self.height)),
                ("role", "img".into()),
                ("aria-labelledby", format!("figure-{id}-title")),
                ("aria-describedby", format!("figure-{id}-words")),
                ("class", "figure-drawing".into()),
                // Shrinks with a narrow column down to four fifths of its
                // drawn size, so that its words stay readable; below that
                // it scrolls in its frame.
                ("style", format!("min-width: {}px", self.width * 4 / 5)),
            ],
        );
        let mut name = element("title", vec![("id", format!("figure-{id}-title"))]);
        name.children.push(Node::Text(title.to_string()));
        svg.children.push(Node::Element(name));
        svg.children.extend(self.shapes);
        svg
    }
}

/// A grid: a header row, a header column, and a verdict in each cell, as the
/// figures draw the model's tables (who makes each call, what survives,
/// which volume works where). `cell` gives each cell's words and class.
pub(crate) struct Grid<'a> {
    pub(crate) columns: &'a [(&'a str, &'a str)],
    pub(crate) rows: &'a [&'a str],
    pub(crate) row_header_width: i32,
    pub(crate) column_width: i32,
}

pub(crate) const GRID_ROW: i32 = 34;
pub(crate) const GRID_HEAD: i32 = 50;

impl Grid<'_> {
    pub(crate) fn size(&self) -> (i32, i32) {
        (
            self.row_header_width + self.columns.len() as i32 * self.column_width + 8,
            GRID_HEAD + self.rows.len() as i32 * GRID_ROW + 8,
        )
    }

    /// Draws the grid; `columns` are (label, class of the header box), a
    /// label of two lines split at `\n`.
    pub(crate) fn draw(
        &self,
        canvas: &mut Canvas,
        cell: &dyn Fn(usize, usize) -> (String, &'static str),
    ) {
        for (column, (label, class)) in self.columns.iter().enumerate() {
            let x = self.row_header_width + column as i32 * self.column_width;
            let lines: Vec<&str> = label.split('\n').collect();
            canvas.labelled_box(
                (x + 2, 4, self.column_width - 4, GRID_HEAD - 8),
                &lines,
                class,
            );
        }
        for (row, label) in self.rows.iter().enumerate() {
            let y = GRID_HEAD + row as i32 * GRID_ROW;
            canvas.text(4, y + GRID_ROW / 2 + 5, label, "start", "fig-strong");
            for column in 0..self.columns.len() {
                let x = self.row_header_width + column as i32 * self.column_width;
                let (words, class) = cell(row, column);
                canvas.labelled_box(
                    (x + 2, y + 3, self.column_width - 4, GRID_ROW - 6),
                    &[&words],
                    class,
                );
            }
        }
    }
}
