package ident_test

import (
	"fmt"
	"log"

	"github.com/baseline-cm/baseline/ident"
)

// A register holds SOUP-001 and SOUP-002 and has retired SOUP-003: new
// items continue after the highest number ever used, in the sorted order
// of their keys, and a retired identifier is never issued again.
func ExampleAllocator_Allocate() {
	a, err := ident.New(ident.Scheme{Prefix: "SOUP-", Width: 3})
	if err != nil {
		log.Fatal(err)
	}
	for _, id := range []string{"SOUP-001", "SOUP-002"} {
		if err := a.Issue(id); err != nil {
			log.Fatal(err)
		}
	}
	if err := a.Retire("SOUP-003"); err != nil {
		log.Fatal(err)
	}
	for _, as := range a.Allocate([]string{"pkg:golang/golang.org/x/text", "pkg:golang/github.com/google/uuid"}) {
		fmt.Println(as.ID, as.Key)
	}
	fmt.Println(a.IDs(ident.Retired))
	// Output:
	// SOUP-004 pkg:golang/github.com/google/uuid
	// SOUP-005 pkg:golang/golang.org/x/text
	// [SOUP-003]
}

func ExampleScheme_Parse() {
	s := ident.Scheme{Prefix: "CR-", Width: 3}
	n, err := s.Parse("CR-012")
	fmt.Println(n, err, s.Format(n+1))
	_, err = s.Parse("CR-12")
	fmt.Println(err != nil)
	// Output:
	// 12 <nil> CR-013
	// true
}
