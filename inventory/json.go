package inventory

import (
	"encoding/json"
	"io"

	"github.com/baseline-cm/baseline/internal/jsonstream"
)

// WriteJSON writes inv as the indented JSON document that
// json.MarshalIndent(inv, "", "  ") encodes, followed by a newline (what
// "baseline discover" prints). The components, most of a large
// inventory, are encoded one by one on every processor, and the document
// is never held in memory twice.
func (inv *Inventory) WriteJSON(w io.Writer) error {
	in := jsonstream.NewIndenter(w)
	skel := *inv
	var arrays []jsonstream.Array
	if inv.Components != nil { // else "null", as in the whole document
		skel.Components = []Component{}
		arrays = append(arrays, jsonstream.Array{Key: "components", N: len(inv.Components), Elem: func(i int) any { return &inv.Components[i] }})
	}
	err := jsonstream.Write(in, func(w io.Writer) error { return json.NewEncoder(w).Encode(&skel) }, true, arrays...)
	if cerr := in.Close(); err == nil {
		err = cerr
	}
	return err
}
