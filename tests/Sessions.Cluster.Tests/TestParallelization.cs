// Every test starts several silo processes; run the tests one after another so that they do not starve each other of
// CPU (timings such as failure detection are part of what they measure).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
