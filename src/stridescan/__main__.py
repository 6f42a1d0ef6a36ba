from stridescan.cli import main

raise SystemExit(main())
