from smartoffice.cli import main

raise SystemExit(main())
