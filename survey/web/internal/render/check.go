package render

import (
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"text/template/parse"
)

// checker walks the parse trees of one page's set from the page's template,
// with dot typed as the page's data type, and collects every field, method
// or template that execution could not find. A nil reflect.Type stands for
// a type it cannot know (an interface value, a function's result): nothing
// below it is checked, so the checker reports no false positives.
type checker struct {
	page string
	set  *template.Template
	seen map[visit]bool
	errs []error
	msgs map[string]bool
}

// visit is a template entered with a dot type; each is walked once, which
// also ends recursive templates.
type visit struct {
	name string
	dot  reflect.Type
}

// check returns the problems of page in set, entered with dot.
func check(page string, set *template.Template, dot reflect.Type) []error {
	c := &checker{page: page, set: set, seen: map[visit]bool{}, msgs: map[string]bool{}}
	c.template(page, dot)
	return c.errs
}

// template walks the named template, which must exist, with dot.
func (c *checker) template(name string, dot reflect.Type) {
	if c.seen[visit{name, dot}] {
		return
	}
	c.seen[visit{name, dot}] = true
	t := c.set.Lookup(name)
	// As in text/template, a template starts with only $, set to its dot.
	w := &walker{c: c, name: name, tree: t.Tree, vars: []variable{{"$", dot}}}
	w.walk(dot, t.Tree.Root)
}

// defined reports whether the set holds a template called name.
func (c *checker) defined(name string) bool {
	t := c.set.Lookup(name)
	return t != nil && t.Tree != nil
}

// variable is a template variable and the type of its value.
type variable struct {
	name string
	typ  reflect.Type
}

// walker checks one template of the set; vars is its variable stack.
type walker struct {
	c    *checker
	name string
	tree *parse.Tree
	vars []variable
}

// errorf records a problem at node n of the template being walked.
func (w *walker) errorf(n parse.Node, format string, args ...any) {
	loc, _ := w.tree.ErrorContext(n)
	msg := fmt.Sprintf("page %q: %s: template %q: %s", w.c.page, loc, w.name, fmt.Sprintf(format, args...))
	if !w.c.msgs[msg] {
		w.c.msgs[msg] = true
		w.c.errs = append(w.c.errs, errors.New(msg))
	}
}

// walk checks node n with dot.
func (w *walker) walk(dot reflect.Type, n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, child := range n.Nodes {
			w.walk(dot, child)
		}
	case *parse.ActionNode:
		w.pipe(dot, n.Pipe)
	case *parse.IfNode:
		// Variables declared in a control's pipeline live until its {{end}}.
		defer w.pop(w.mark())
		w.pipe(dot, n.Pipe)
		w.walk(dot, n.List)
		w.walk(dot, n.ElseList)
	case *parse.WithNode:
		defer w.pop(w.mark())
		w.walk(w.pipe(dot, n.Pipe), n.List)
		w.walk(dot, n.ElseList)
	case *parse.RangeNode:
		w.walkRange(dot, n)
	case *parse.TemplateNode:
		var arg reflect.Type // {{template "x"}} runs x with nil data
		if n.Pipe != nil {
			arg = w.pipe(dot, n.Pipe)
		}
		if !w.c.defined(n.Name) {
			w.errorf(n, "no such template %q", n.Name)
			return
		}
		w.c.template(n.Name, arg)
	}
}

// walkRange checks a range: the body with dot and the declared variables
// set to the element (and key), the else list with the outer dot.
func (w *walker) walkRange(dot reflect.Type, n *parse.RangeNode) {
	defer w.pop(w.mark())
	typ := w.pipeType(dot, n.Pipe)
	key, elem := rangeTypes(typ)
	decl := n.Pipe.Decl
	iter := []reflect.Type{elem}
	if len(decl) > 1 {
		iter = []reflect.Type{key, elem}
	}
	start := w.mark()
	for i, v := range decl {
		if n.Pipe.IsAssign {
			// The variable holds the pipeline's value, then each element.
			w.assign(v.Ident[0], typ)
			w.assign(v.Ident[0], iter[i])
		} else {
			w.vars = append(w.vars, variable{v.Ident[0], iter[i]})
		}
	}
	body := w.mark()
	w.walk(elem, n.List)
	w.pop(body)
	if !n.Pipe.IsAssign {
		// Outside the iterations the variables hold the pipeline's value.
		for i := start; i < body; i++ {
			w.vars[i].typ = typ
		}
	}
	w.walk(dot, n.ElseList)
}

// mark returns the height of the variable stack, for pop.
func (w *walker) mark() int { return len(w.vars) }

// pop drops the variables declared since mark.
func (w *walker) pop(mark int) { w.vars = w.vars[:mark] }

// lookup returns the type of variable name.
func (w *walker) lookup(name string) reflect.Type {
	for i := len(w.vars) - 1; i >= 0; i-- {
		if w.vars[i].name == name {
			return w.vars[i].typ
		}
	}
	return nil
}

// assign records {{name = value}}: a variable assigned values of two types
// may hold either later on, so its type becomes unknown.
func (w *walker) assign(name string, typ reflect.Type) {
	for i := len(w.vars) - 1; i >= 0; i-- {
		if w.vars[i].name == name {
			if w.vars[i].typ != typ {
				w.vars[i].typ = nil
			}
			return
		}
	}
}

// pipe checks pipeline p, declares or assigns its variables and returns
// the type of its value.
func (w *walker) pipe(dot reflect.Type, p *parse.PipeNode) reflect.Type {
	typ := w.pipeType(dot, p)
	for _, v := range p.Decl {
		if p.IsAssign {
			w.assign(v.Ident[0], typ)
		} else {
			w.vars = append(w.vars, variable{v.Ident[0], typ})
		}
	}
	return typ
}

// pipeType checks the commands of p and returns the type of its value.
func (w *walker) pipeType(dot reflect.Type, p *parse.PipeNode) reflect.Type {
	var typ reflect.Type
	for i, cmd := range p.Cmds {
		typ = w.command(dot, cmd, i > 0)
	}
	return typ
}
