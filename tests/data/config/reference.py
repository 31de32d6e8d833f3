"""What Python does with a .testr.conf: the reference the C tests compare to.

Run with /usr/bin/python3 (it has configparser and testrepository).  Every
value is printed hex-encoded as "name<TAB>hex", so any byte survives.

  reference.py ini FILE...
      for each FILE a line "file<TAB>hex(FILE)", then the [DEFAULT] options as testrepository sees them, in file order: known
      options interpolated (an error there is "error<TAB>line"), others
      interpolated or, when that fails, raw ("raw" instead of "opt").
  reference.py expand [DIR NARGS ARG... (IDS... | --none) --end]...
      for each case a line "case<TAB>hex(DIR)", then what
      TestCommand.get_run_command(ids, args) + TestListingFixture.setUp()
      give: run, list, idfile (path) and idfile_content; or error.
  reference.py regex PATTERN... -- ID...
      for each pattern and id, "match" (the UTF-8 length of re.match's
      group 0, or -1) and "search" (1 or 0).
  reference.py instances DIR COUNT PROVISION_OUTPUT
      the provision, execute (of command "CMD") and dispose commands
      TestCommand runs, and the instance id it picked.
"""
import configparser
import sys

KNOWN = ('test_command', 'test_id_option', 'test_list_option',
         'test_id_list_default', 'test_run_concurrency', 'filter_tags',
         'group_regex', 'instance_provision', 'instance_execute',
         'instance_dispose')


def out(name, value):
    print('%s\t%s' % (name, value.encode('utf-8').hex()))


def dump_ini(path):
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding='utf-8')
    except configparser.Error as e:
        line = getattr(e, 'lineno', getattr(e, 'errors', [[0]])[0][0])
        out('error', str(line))
        return
    for name in parser.defaults():
        try:
            out('opt', name + '=' + parser.get('DEFAULT', name))
        except configparser.InterpolationError:
            if name in KNOWN:
                out('error', '0')
                return
            out('raw', name + '=' + parser.get('DEFAULT', name, raw=True))


def running(ui):
    return [v[0][1] for kind, *rest in ui.outputs if kind == 'values'
            for v in rest if v and v[0][0] == 'running']


def expand(here, nargs, rest):
    from testrepository.testcommand import TestCommand
    from testrepository.ui.model import UI
    args, ids = rest[:nargs], rest[nargs:]
    ids = None if ids == ['--none'] else ids
    ui = UI()
    ui.here = here
    command = TestCommand(ui, None)
    command.setUp()
    try:
        fixture = command.get_run_command(ids, args)
        fixture.setUp()
    except ValueError as e:
        out('error', str(e))
        return
    out('run', fixture.cmd)
    out('list', fixture.list_cmd)
    name = fixture.list_file_name or ''
    out('idfile', name)
    out('idfile_content', open(name, 'rb').read().decode('utf-8') if name else '')
    fixture.cleanUp()
    command.cleanUp()


def instances(here, count, provision_output):
    from testrepository.testcommand import TestCommand
    from testrepository.ui.model import UI
    ui = UI(proc_outputs=[provision_output.encode('utf-8')])
    ui.here = here
    command = TestCommand(ui, None)
    command.setUp()
    fixture = command.get_run_command(['a.b'], ())
    fixture.setUp()
    fixture.concurrency = count
    instance, cmd = fixture._per_instance_command('CMD')
    out('instance', instance.decode('utf-8'))
    out('execute', cmd)
    out('files', fixture.list_file_name)
    fixture.cleanUp()
    command.release_instance(instance)
    command.cleanUp()
    ran = running(ui)
    out('provision', ran[0])
    out('dispose', ran[-1])


def regex(args):
    import re
    split = args.index('--')
    for pattern in args[:split]:
        compiled = re.compile(pattern)
        for test_id in args[split + 1:]:
            m = compiled.match(test_id)
            out('match', str(len(m.group(0).encode('utf-8')) if m else -1))
            out('search', '1' if compiled.search(test_id) else '0')


if __name__ == '__main__':
    if sys.argv[1] == 'regex':
        regex(sys.argv[2:])
    elif sys.argv[1] == 'ini':
        for path in sys.argv[2:]:
            out('file', path)
            dump_ini(path)
    elif sys.argv[1] == 'expand':
        rest = sys.argv[2:]
        while rest:
            end = rest.index('--end')
            out('case', rest[0])
            expand(rest[0], int(rest[1]), rest[2:end])
            rest = rest[end + 1:]
    else:
        instances(sys.argv[2], int(sys.argv[3]), sys.argv[4])
