package render

import (
	"reflect"
	"text/template/parse"
)

// command checks one command of a pipeline and returns its result type.
// piped says the previous command's value is passed as the last argument.
func (w *walker) command(dot reflect.Type, cmd *parse.CommandNode, piped bool) reflect.Type {
	args := make([]reflect.Type, 0, len(cmd.Args)-1)
	for _, a := range cmd.Args[1:] {
		args = append(args, w.arg(dot, a))
	}
	nargs := len(args)
	if piped {
		nargs++
	}
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return w.fields(dot, n, n.Ident, nargs)
	case *parse.ChainNode:
		return w.fields(w.arg(dot, n.Node), n, n.Field, nargs)
	case *parse.VariableNode:
		return w.fields(w.lookup(n.Ident[0]), n, n.Ident[1:], nargs)
	case *parse.IdentifierNode:
		return function(n.Ident, args, piped)
	}
	return w.arg(dot, cmd.Args[0])
}

// arg checks an operand and returns its type.
func (w *walker) arg(dot reflect.Type, n parse.Node) reflect.Type {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return w.fields(dot, n, n.Ident, 0)
	case *parse.ChainNode:
		return w.fields(w.arg(dot, n.Node), n, n.Field, 0)
	case *parse.VariableNode:
		return w.fields(w.lookup(n.Ident[0]), n, n.Ident[1:], 0)
	case *parse.PipeNode:
		return w.pipe(dot, n)
	case *parse.StringNode:
		return reflect.TypeFor[string]()
	case *parse.BoolNode:
		return reflect.TypeFor[bool]()
	}
	return nil // numbers are untyped constants; functions are unknown
}

// function returns the result type of a call of a builtin function: only
// index on a slice, array or map is known.
func function(name string, args []reflect.Type, piped bool) reflect.Type {
	if name != "index" || piped || len(args) == 0 {
		return nil
	}
	typ := args[0]
	for range args[1:] {
		if typ == nil {
			return nil
		}
		switch typ.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map:
			typ = typ.Elem()
		default:
			return nil
		}
	}
	return typ
}

// fields follows the chain .A.B.C from recv; the last link is given nargs
// arguments.
func (w *walker) fields(recv reflect.Type, n parse.Node, names []string, nargs int) reflect.Type {
	for i, name := range names {
		if recv == nil {
			return nil
		}
		args := 0
		if i == len(names)-1 {
			args = nargs
		}
		recv = w.field(recv, n, name, args)
	}
	return recv
}

// field resolves .name on a value of type recv as text/template does:
// through pointers, a method of T or *T first, then a struct field
// (promoted ones included) or a map[string]T key.
func (w *walker) field(recv reflect.Type, n parse.Node, name string, nargs int) reflect.Type {
	base := recv
	for base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if base.Kind() == reflect.Interface {
		// The dynamic value may have any method; only the interface's own
		// are known.
		if m, ok := base.MethodByName(name); ok {
			return w.call(recv, n, name, m.Type, 0, nargs)
		}
		return nil
	}
	// Methods of *T are found only when the value is addressable; accept
	// them always, as that cannot be known here.
	if m, ok := reflect.PointerTo(base).MethodByName(name); ok {
		return w.call(recv, n, name, m.Type, 1, nargs)
	}
	switch base.Kind() {
	case reflect.Struct:
		f, ok := base.FieldByName(name)
		if !ok {
			break
		}
		if !f.IsExported() {
			w.errorf(n, "%q is an unexported field of type %s", name, recv)
			return nil
		}
		if nargs > 0 {
			w.errorf(n, "field %q of type %s is not a method but has arguments", name, recv)
			return nil
		}
		return f.Type
	case reflect.Map:
		if !reflect.TypeFor[string]().AssignableTo(base.Key()) {
			break
		}
		if nargs > 0 {
			w.errorf(n, "map key %q of type %s is not a method but has arguments", name, recv)
			return nil
		}
		return base.Elem()
	}
	w.errorf(n, "type %s has no field or method %q", recv, name)
	return nil
}

// call checks the argument count of method name, of type fn whose first
// skip parameters are the receiver, and returns its first result's type.
func (w *walker) call(recv reflect.Type, n parse.Node, name string, fn reflect.Type, skip, nargs int) reflect.Type {
	want := fn.NumIn() - skip
	switch {
	case fn.IsVariadic() && nargs < want-1:
		w.errorf(n, "method %q of type %s takes at least %d arguments, got %d", name, recv, want-1, nargs)
	case !fn.IsVariadic() && nargs != want:
		w.errorf(n, "method %q of type %s takes %d arguments, got %d", name, recv, want, nargs)
	}
	if fn.NumOut() == 0 {
		return nil
	}
	return fn.Out(0)
}

// rangeTypes returns the key and element types of ranging over typ.
func rangeTypes(typ reflect.Type) (key, elem reflect.Type) {
	for typ != nil && typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ == nil {
		return nil, nil
	}
	switch typ.Kind() {
	case reflect.Slice, reflect.Array:
		return reflect.TypeFor[int](), typ.Elem()
	case reflect.Map:
		return typ.Key(), typ.Elem()
	case reflect.Chan:
		return reflect.TypeFor[int](), typ.Elem()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return nil, typ
	}
	return nil, nil // functions (iterators) and interfaces are not followed
}
